package dev.emailchannel.quote;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Customer text that merely looks like history stays; markers count only with corroboration. Each test
 * also checks that real history of the same shape is still removed, so the rules cannot pass by keeping everything.
 */
class NeverLoseCustomerTextTest {

    private final QuoteStripper stripper = new QuoteStripper();
    private static final String GMAIL_HISTORY =
            "\n\nOn Fri, Feb 28, 2025 at 4:55 PM Acme Support <support@acme.test> wrote:\n> Which dates?\n";

    @Test
    void should_keep_typed_from_to_date_lines() {
        String text = "Hi,\n\nplease rebook:\nFrom: 12 March 2026\nTo: 19 March 2026\nDate: 04.07.1985\n\nThanks,\nLena";

        assertThat(stripper.strip(text + GMAIL_HISTORY, "Re: Booking").kept()).isEqualTo(text);
    }

    @Test
    void should_keep_a_typed_subject_line_and_a_cc_list() {
        String text = "Form:\nName: Lena\nSubject: broken hinge\n\nSend invoices to:\nTo: acc@customer.example\nCc: lena@customer.example";

        assertThat(stripper.strip(text + GMAIL_HISTORY, "Re: x").kept()).isEqualTo(text);
    }

    @Test
    void should_remove_an_outlook_header_block_that_names_the_thread_even_without_addresses() {
        String reply = "Works now.\n\nJane\n\nFrom: Support Team\nSent: Monday, March 3, 2025 10:15 AM\nTo: Jane Doe\n"
                + "Subject: RE: Order 1234\n\nHi Jane, please restart.";

        QuoteStripper.Result r = stripper.strip(reply, "RE: RE: Order 1234");

        assertThat(r.kept()).isEqualTo("Works now.\n\nJane");
        assertThat(r.history()).startsWith("From: Support Team").endsWith("please restart.");
    }

    @Test
    void should_remove_an_outlook_header_block_with_an_address_and_a_sent_date() {
        String reply = "Thanks.\n\nFrom: Acme <support@acme.test>\nSent: 03 March 2025 10:15\nTo: Jane\nSubject: Something else\n\nOld.";

        assertThat(stripper.strip(reply).kept()).isEqualTo("Thanks.");
    }

    @Test
    void should_keep_a_heading_underline_and_a_rule_between_topics() {
        String underline = "Summary\n-------\nTest A passed\nTest B failed\n\nThanks,\nOmar";
        String rule = "First: fine.\n\n_____\n\nSecond topic: the delivery is late by three days and nobody told me why.\n\nOmar";

        assertThat(stripper.strip(underline).kept()).isEqualTo(underline);
        assertThat(stripper.strip(rule).kept()).isEqualTo(rule);
        assertThat(stripper.strip("Thanks\n\n_____\nJane Doe\nAcme Inc.\n").kept()).isEqualTo("Thanks");
    }

    @Test
    void should_keep_table_borders_and_framed_sections() {
        String table = "Orders:\n+------+------+\n| id   | st   |\n+------+------+\n| 5521 | lost |\n+------+------+\n\nKai";
        String psql = "Rows:\n id | name\n----+------\n  1 | Jane\n(1 row)\n\nKai";
        String framed = "Options:\n--\nA: repair\nB: replace, which one?\n--\n\nThanks,\nEva";

        assertThat(stripper.strip(table).kept()).isEqualTo(table);
        assertThat(stripper.strip(psql).kept()).isEqualTo(psql);
        assertThat(stripper.strip(framed).kept()).isEqualTo(framed);
    }

    @Test
    void should_keep_a_sentence_that_starts_like_a_footer_but_remove_the_footer() {
        String sentence = "Sent from my iPad the photo did not upload, so here it is again.\nThe crack is on the left.";

        assertThat(stripper.strip(sentence + GMAIL_HISTORY).kept()).isEqualTo(sentence);
        assertThat(stripper.strip("Photo attached.\n\nSent from my iPad\n" + GMAIL_HISTORY).kept()).isEqualTo("Photo attached.");
        assertThat(stripper.strip("Sent from my iPad\nbecause my laptop is broken.").kept())
                .isEqualTo("Sent from my iPad\nbecause my laptop is broken.");
    }

    @Test
    void should_keep_console_and_repl_sessions() {
        String shell = "It fails:\n$ ./install.sh\nChecking...\n> npm ci\nnpm ERR! code ERESOLVE\n\nBen";
        String repl = "Wrong type:\n>>> import acme\n>>> acme.status()\n'ok'\n\nIvo";
        String mysql = "Query:\nmysql> SELECT id FROM users;\nEmpty set (0.00 sec)\n\nKai";

        assertThat(stripper.strip(shell + GMAIL_HISTORY).kept()).isEqualTo(shell);
        assertThat(stripper.strip(repl + GMAIL_HISTORY).kept()).isEqualTo(repl);
        assertThat(stripper.strip(mysql + GMAIL_HISTORY).kept()).isEqualTo(mysql);
    }

    @Test
    void should_keep_on_wrote_sentences_without_a_quote_below() {
        String text = "On Monday I wrote to your colleague:\nthe refund is still missing.\n\nOn Tuesday, she wrote:\nit takes two days.";

        assertThat(stripper.strip(text + GMAIL_HISTORY).kept()).isEqualTo(text);
    }

    @Test
    void should_keep_a_lone_greater_than_line_inside_a_paragraph() {
        String text = "Your page says:\n> 100 EUR: free express\n< 100 EUR: standard\nbut I was charged.";

        assertThat(stripper.strip(text + GMAIL_HISTORY).kept()).isEqualTo(text);
    }

    @Test
    void should_tell_the_customers_blocks_from_the_quotes_they_answer() {
        QuoteStripper.Result r = stripper.strip("On Fri, Feb 28, 2025 at 4:55 PM Acme <support@acme.test> wrote:\n"
                + "> Which model?\n\nX200.\n\n> > nested\n> Since when?\n\nMonday.\n");

        assertThat(r.blocks()).containsExactly(new QuoteStripper.Block(true, "Which model?"),
                new QuoteStripper.Block(false, "X200."), new QuoteStripper.Block(true, "nested\nSince when?"),
                new QuoteStripper.Block(false, "Monday."));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "po 3. 3. 2025 v 10:15 odesílatel Acme <support@acme.test> napsal:",
        "po 3. 3. 2025 o 10:15 Acme <support@acme.test> napísal(a):",
        "Acme <support@acme.test> ezt írta (időpont: 2025. márc. 3., H, 10:15):",
        "Pe lun., 3 mar. 2025 la 10:15, Acme <support@acme.test> a scris:",
        "Acme <support@acme.test>, 3 Mar 2025 Pzt, 10:15 tarihinde şunu yazdı:",
        "Στις Δευ 3 Μαρ 2025 στις 10:15, ο/η Acme <support@acme.test> έγραψε:",
        "\u202bבתאריך יום ב׳, 3 במרץ 2025 ב-10:15 מאת \u202aAcme <support@acme.test>\u202c\u200f:\u202c",
        "\u202bفي الاثنين، 3 مارس 2025 في 10:15 ص تمت كتابة ما يلي بواسطة \u202aAcme <support@acme.test>\u202c\u200f:\u202c",
        "در تاریخ دوشنبه ۳ مارس ۲۰۲۵ ساعت ۱۰:۱۵ Acme <support@acme.test> نوشت:",
        "2025년 3월 3일 (월) 오전 10:15, Acme <support@acme.test>님이 작성:",
        "Vào Th 2, 3 thg 3, 2025 vào lúc 10:15 Acme <support@acme.test> đã viết:",
        "เมื่อ จ. 3 มี.ค. 2025 เวลา 10:15 Acme <support@acme.test> เขียนว่า:",
        "Pada Sen, 3 Mar 2025 pukul 10.15 Acme <support@acme.test> menulis:",
        "пн, 3 бер. 2025 р. о 10:15 Acme <support@acme.test> пише:",
        "ma 3.3.2025 klo 10.15 Acme <support@acme.test> kirjoitti:",
        "Den man. 3. mar. 2025 kl. 10.15 skrev Acme <support@acme.test>:",
        "man. 3. mar. 2025 kl. 10:15 skrev Acme <support@acme.test>:",
        "El dl., 3 de març 2025 a les 10:15, Acme <support@acme.test> va escriure:",
        "W dniu 23.11.2026 o 10:15, Jan Kowalski pisze:",
        "Wiadomość napisana przez Acme <support@acme.test> w dniu 03.03.2025, o godz. 10:15:",
        "Am Montag, 3. März 2025 um 10:15:02 MEZ hat Acme <support@acme.test> Folgendes geschrieben:",
        "pon, 3. ožu 2025. u 10:15 Acme <support@acme.test> napisao je:",
        "пн, 3.03.2025 г. в 10:15 ч. Acme <support@acme.test> написа:",
        "E, 3. märts 2025 kell 10:15 Acme <support@acme.test> kirjutas:",
        "2025-03-03, pr, 10:15 Acme <support@acme.test> rašė:",
        "pirmd., 2025. g. 3. marts, plkst. 10:15 — lietotājs Acme <support@acme.test> rakstīja:",
        "सोम, 3 मार्च 2025 को 10:15 am बजे Acme <support@acme.test> ने लिखा:",
        "2025-03-03 오전 10:15에 Acme 이(가) 쓴 글:"})
    void should_recognise_attribution_lines_of_many_languages(String attribution) {
        QuoteStripper.Result r = stripper.strip("New text.\n\n" + attribution + "\n> old\n");

        assertThat(r.kept()).isEqualTo("New text.");
        assertThat(r.history()).contains("old");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "-----Původní zpráva-----", "-----Pôvodná správa-----", "-----Eredeti üzenet-----", "-----Mesaj original-----",
        "-----Orijinal Mesaj-----", "-----Αρχικό μήνυμα-----", "-----הודעה מקורית-----", "-----الرسالة الأصلية-----",
        "-----پیام اصلی-----", "-----원본 메시지-----", "-----Thư gốc-----", "-----ข้อความต้นฉบับ-----",
        "-----Pesan Asli-----", "-----Оригінальне повідомлення-----", "-----Alkuperäinen viesti-----",
        "-----Oprindelig meddelelse-----", "-----Opprinnelig melding-----", "-----Missatge original-----"})
    void should_recognise_original_message_lines_of_many_languages(String marker) {
        assertThat(stripper.strip("New text.\n\n" + marker + "\nold history\n").kept()).isEqualTo("New text.");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iPhone에서 보냄", "Hent Outlook for iOS", "Odesláno z iPhonu", "iPhone-ról küldve",
        "Trimis de pe iPhone-ul meu", "iPhone'umdan gönderildi", "Στάλθηκε από το iPhone μου", "נשלח מה-iPhone שלי",
        "أُرسلت من الـ iPhone", "Gửi từ iPhone của tôi", "ส่งจาก iPhone ของฉัน", "Dikirim dari iPhone saya",
        "Lähetetty iPhonesta", "Enviat des del meu iPhone", "मेरे iPhone से भेजा गया", "iOS용 Outlook 받기",
        "Sent from my Samsung Galaxy smartphone.", "Sent from my iPhone, please excuse typos",
        "Get [Outlook for Android](https://aka.ms/ghei36)", "(Sent from mobile device)"})
    void should_remove_footers_of_many_languages(String footer) {
        assertThat(stripper.strip("Call me back.\n\n" + footer + "\n").kept()).isEqualTo("Call me back.");
    }
}
