package dev.emailchannel.quote;

import java.util.Arrays;
import java.util.Set;

/**
 * The words mail clients write around quoted history, per language: attribution lines ("On … wrote:"), "original
 * message" separators, header-block field names and mobile/client footers. Data only; {@link LineClassifier} reads
 * it. Languages: English, German, French, Spanish, Catalan, Portuguese, Italian, Dutch, Swedish, Danish, Norwegian,
 * Finnish, Estonian, Latvian, Lithuanian, Polish, Czech, Slovak, Hungarian, Romanian, Croatian, Serbian, Slovenian,
 * Bulgarian, Russian, Ukrainian, Greek, Turkish, Hebrew, Arabic, Persian, Hindi, Japanese, Chinese, Korean,
 * Vietnamese, Thai, Indonesian and Malay, in the forms Gmail, Outlook, Apple Mail, Thunderbird, Samsung Email and
 * Yahoo write them.
 */
final class MarkerWords {

    private MarkerWords() {
    }

    /** Words that open an "On &lt;date&gt;, &lt;someone&gt; wrote:" line (compared case-sensitively). */
    static final String[] OPENERS = {
        "On", "Op", "Le", "Il", "Il giorno", "Dnia", "W dniu", "Em", "El", "Am", "Den", "Dne", "Dňa", "D.", "På", "Pe",
        "Le lun.", "Στις", "În", "Dana", "Vào", "Pada", "Pada tanggal", "V", "Na", "Ngày", "เมื่อ", "در تاریخ", "בתאריך",
        "في",
    };

    /** Endings of attribution lines ("wrote"), compared lower-case, without the trailing colon. */
    static final String[] WROTE = {
        "wrote", "het volgende geschreven", "geschreven", "schreef", "a écrit", "a ecrit", "ha scritto", "napisał(a)",
        "napisał", "napisała", "pisze", "escreveu", "escribió", "escribio", "schrieb", "skrev", "skrev følgende",
        "följande", "napsal(a)", "napsal", "kirjoitti", "írta", "ezt írta", "napísal", "napísal(a)", "написал",
        "написала", "написав", "написал(а)", "написав(-ла)", "пишет", "писал", "scris", "a scris", "yazdı",
        "şunu yazdı", "şunları yazdı", "έγραψε", "wrote on", "says", "schreibt", "hat geschrieben", "пише", "va escriure",
        "ha escrit", "đã viết", "เขียนว่า", "เขียน", "menulis", "napisao je", "napisala je", "je napisao/la",
        "је написао/ла", "написа", "kirjutas", "rakstīja", "geschrieben", "folgendes geschrieben", "rašė", "ने लिखा", "כתב", "כתב/ה", "כתבה", "نوشت",
        "كتب", "napisala", "napisal", "je napisal", "je napisala",
    };

    /** "Wrote" words of scripts without spaces before them (CJK, Korean); a full-width colon may follow. */
    static final String[] WROTE_CJK = {"写道", "寫道", "書きました", "のメッセージ", "のメール", "さんは書きました",
        "님이 작성", " 작성", "쓴 글"};

    /** Phrases that, between dashes, introduce an original or forwarded message. Lower case. */
    static final String[] MESSAGE_MARKERS = {
        "original message", "forwarded message", "original e-mail", "forwarded e-mail", "reply message",
        "message transféré", "message d'origine", "message original", "message initial", "ursprüngliche nachricht",
        "weitergeleitete nachricht", "originalnachricht", "mensaje original", "mensaje reenviado", "mensagem original",
        "mensagem encaminhada", "mensagem reencaminhada", "messaggio originale", "messaggio inoltrato",
        "oorspronkelijk bericht", "origineel bericht", "doorgestuurd bericht", "ursprungligt meddelande",
        "vidarebefordrat meddelande", "opprinnelig melding", "videresendt melding", "oprindelig meddelelse",
        "videresendt meddelelse", "videresendt besked", "vidaresendt", "oryginalna wiadomość", "wiadomość oryginalna",
        "przekazana wiadomość", "wiadomość przesłana dalej", "treść przekazanej wiadomości", "исходное сообщение",
        "пересылаемое сообщение", "пересланное сообщение", "перенаправленное сообщение", "пересланное письмо",
        "оригинальное сообщение", "вихідне повідомлення", "переслане повідомлення", "початкове повідомлення",
        "оригінальне повідомлення", "перенаправлене повідомлення", "пересланий лист", "пересилуваний лист",
        "message transmis", "iletilmiş mesaj", "iletilen ileti", "yönlendirilmiş ileti", "orijinal mesaj",
        "özgün ileti", "orijinal i̇leti", "orijinal ileti", "edelleenlähetetty viesti", "alkuperäinen viesti",
        "välitetty viesti", "poruka je proslijeđena", "proslijeđena poruka", "izvorna poruka", "původní zpráva",
        "přeposlaná zpráva", "pôvodná správa", "preposlaná správa", "eredeti üzenet", "továbbított üzenet",
        "továbbított levél", "mesajul original", "mesaj original", "mesaj redirecționat", "edastatud kiri",
        "algne kiri", "algne sõnum", "sākotnējais ziņojums", "pārsūtīts ziņojums", "pradinis laiškas",
        "persiųstas laiškas", "izvirno sporočilo", "posredovano sporočilo", "originalna poruka", "prosleđena poruka",
        "оригинално съобщение", "препратено съобщение", "missatge original", "missatge reenviat", "αρχικό μήνυμα",
        "προωθημένο μήνυμα", "הודעה מקורית", "הודעה שהועברה", "الرسالة الأصلية", "الرسالة المعاد توجيهها",
        "رسالة معاد توجيهها", "پیام اصلی", "پیام هدایت‌شده", "پیام ارسال شده", "원본 메시지", "전달된 메시지",
        "전달된 메일", "thư gốc", "thư được chuyển tiếp", "tin nhắn gốc", "ข้อความต้นฉบับ", "ข้อความที่ส่งต่อ",
        "pesan asli", "pesan terusan", "pesan yang diteruskan", "mesej asal", "mesej dimajukan", "मूल संदेश",
        "अग्रेषित संदेश", "元のメッセージ", "転送メッセージ", "メッセージを転送", "転送されたメッセージ", "转发的邮件",
        "原始邮件", "原始郵件", "轉寄的郵件", "原邮件", "原郵件",
    };

    /** Lines such as "Begin forwarded message:" in several languages. Lower case, without the colon. */
    static final String[] BEGIN_FORWARD = {
        "begin forwarded message", "forwarded message", "anfang der weitergeleiteten nachricht",
        "début du message réexpédié", "début du message transféré", "inicio del mensaje reenviado",
        "início da mensagem reencaminhada", "início da mensagem encaminhada", "inizio messaggio inoltrato",
        "begin doorgestuurd bericht", "vidarebefordrat mejl", "vidarebefordrat brev",
        "början på vidarebefordrat meddelande", "videresendt melding", "start på videresendt besked",
        "start på videresendt meddelelse", "początek przekazywanej wiadomości", "начало переадресованного сообщения",
        "початок листа, що пересилається", "začátek přeposílané zprávy", "začiatok preposlanej správy",
        "započni proslijeđenu poruku", "välitetty viesti alkaa", "továbbított levél kezdete",
        "începe mesajul redirecționat", "i̇leti başlangıcı", "ileti başlangıcı", "inici del missatge reenviat",
        "αρχή προωθημένου μηνύματος", "תחילת הודעה שהועברה", "بداية الرسالة المُعاد توجيهها", "전달된 메시지 시작",
        "bắt đầu thư được chuyển tiếp", "เริ่มข้อความที่ส่งต่อ", "awal pesan yang diteruskan", "転送されたメッセージ",
        "以下为转发的邮件", "转发的邮件",
    };

    static final Set<String> FROM_KEYS = set("from", "von", "de", "de la", "da", "van", "från", "fra", "od", "от", "від",
            "lähettäjä", "kimden", "gönderen", "feladó", "saatja", "šalje", "expeditor", "送信元", "差出人", "发件人",
            "寄件者", "afzender", "remetente", "expeditorul", "отправитель", "від кого", "nadawca", "odesílatel",
            "odosielateľ", "pošiljatelj", "avsändare", "afsender", "avsender", "mittente", "absender", "frá",
            "from (name)", "από", "מאת", "من", "از", "보낸 사람", "từ", "จาก", "dari", "daripada", "nuo", "no", "प्रेषक",
            "pošiljalac", "od koga");
    static final Set<String> SUBJECT_KEYS = set("subject", "betreff", "objet", "sujet", "asunto", "assunto", "oggetto",
            "onderwerp", "ämne", "emne", "temat", "тема", "aihe", "konu", "tárgy", "teema", "predmet", "subiect",
            "předmět", "naslov", "subiectul", "tema", "件名", "主题", "主旨", "主題", "θέμα", "נושא", "الموضوع", "موضوع",
            "제목", "chủ đề", "ชื่อเรื่อง", "subjek", "perihal", "tēma", "assumpte", "zadeva", "विषय", "tárgya");
    static final Set<String> DATE_KEYS = set("date", "datum", "fecha", "data", "dato", "дата", "päivämäärä", "tarih",
            "dátum", "kuupäev", "sent", "gesendet", "envoyé", "enviado", "enviada em", "enviado em", "enviado el",
            "inviato", "verzonden", "skickat", "sendt", "wysłano", "wysłane", "отправлено", "надіслано", "lähetetty",
            "gönderildi", "gönderilme", "elküldve", "odesláno", "odoslané", "poslano", "trimis", "送信日時", "日期",
            "发送时间", "日時", "küldve", "saadetud", "sent at", "date sent", "envoyé le", "datum odeslání",
            "dátum odoslania", "時間", "päiväys", "dată", "відправлено", "日付", "data/hora", "datum a čas", "dato/tid",
            "päivä", "στάλθηκε", "ημερομηνία", "נשלח", "תאריך", "تم الإرسال", "التاريخ", "ارسال شده", "تاریخ",
            "보낸 날짜", "날짜", "đã gửi", "ngày", "ส่ง", "วันที่", "dikirim", "tanggal", "dihantar", "tarikh",
            "nosūtīts", "išsiųsta", "enviat", "data d'enviament", "poslato", "изпратено", "भेजा गया", "दिनांक",
            "poslano dne", "отправлено:");
    static final Set<String> OTHER_KEYS = set("to", "an", "à", "a", "para", "aan", "till", "til", "do", "кому", "komu",
            "vastaanottaja", "kime", "címzett", "saaja", "prima", "za", "cc", "kopie", "kopia", "копия", "копія",
            "kopio", "bilgi", "másolat", "másolatot kap", "koopia", "dw", "cci", "bcc", "reply-to", "antwort an", "宛先",
            "收件人", "抄送", "ccn", "kopi", "kópia", "kopija", "către", "destinatario", "destinatário", "répondre à",
            "risposta", "risposta a", "responder a", "svara till", "svar til", "odpowiedź do", "ответить", "cc.", "c.c.",
            "kp", "mottaker", "mottagare", "modtager", "destinataire", "empfänger", "cco", "priorität", "importance",
            "wichtigkeit", "priority", "pre", "pour", "copie à", "kopie (cc)", "adresat", "destinatarul", "送信先",
            "címzettek", "příjemce", "prejemnik", "kopija (cc)", "cc (kopia)", "προς", "κοιν.", "κοιν", "אל", "עותק",
            "إلى", "نسخة", "به", "رونوشت", "받는 사람", "참조", "đến", "ถึง", "สำเนา", "kepada", "sk", "kam", "adressaat",
            "per a", "a/c", "prima", "до", "як", "प्रति", "प्रतिलिपि", "tembusan");

    // ---------------------------------------------------------------- mobile and client footers

    /**
     * Footers that start with a fixed phrase. The rest of the line must be a short device or app name (see
     * {@link LineClassifier#isMobileFooter}), so "Sent from my iPad the photo did not upload" stays text.
     */
    static final String[] FOOTER_PREFIXES = {
        "sent from my ", "sent from ", "sent via ", "sent with ", "sent by ", "sent using ", "get outlook for ",
        "download outlook for ", "envoyé depuis mon ", "envoyé de mon ", "envoyé à partir de ", "obtenir outlook pour ",
        "gesendet von meinem ", "gesendet mit ", "outlook für ", "enviado desde mi ", "enviado desde ",
        "obtener outlook para ", "enviado do meu ", "enviado a partir do meu ", "obter o outlook para ",
        "baixe o outlook para ", "inviato da ", "inviato dal mio ", "scarica outlook per ", "verzonden vanaf mijn ",
        "verstuurd vanaf mijn ", "verzonden met ", "outlook voor ", "outlook downloaden voor ", "skickat från min ",
        "skickat från ", "skaffa outlook för ", "hämta outlook för ", "sendt fra min ", "sendt fra ",
        "skaff outlook for ", "hent outlook til ", "hent outlook for ", "få outlook til ", "få outlook for ",
        "wysłane z mojego ", "wysłane z ", "wysłano z ", "pobierz aplikację outlook", "pobierz outlook dla ",
        "отправлено с моего ", "отправлено из ", "отправлено с ", "скачайте outlook для ", "загрузите outlook для ",
        "надіслано з мого ", "надіслано з ", "отримати outlook для ", "завантажте outlook для ", "lähetetty ",
        "hanki outlook ", "odesláno z ", "odesláno ze ", "stáhněte si outlook ", "získat outlook pro ",
        "odoslané z ", "odoslané zo ", "získajte outlook pre ", "trimis de pe ", "trimis din ", "obțineți outlook pentru ",
        "στάλθηκε από ", "λήψη του outlook για ", "gửi từ ", "tải outlook cho ", "dikirim dari ", "dapatkan outlook untuk ",
        "dihantar dari ", "dihantar daripada ", "enviat des del meu ", "enviat des de ", "obteniu l'outlook per a ",
        "poslano s mog ", "poslano s ", "poslano iz ", "poslano sa ", "послато са ", "изпратено от ", "saadetud minu ",
        "saadetud ", "nosūtīts no ", "siųsta iš ", "išsiųsta iš ", "ส่งจาก ", "รับ outlook สำหรับ ", "נשלח מה", "נשלח מ",
        "קבל את outlook ", "أرسلت من ", "ارسلت من ", "تم الإرسال من ", "احصل على outlook ", "ارسال شده از ",
        "دریافت outlook ", "发自我的", "从我的", "發自我的", "從我的", "来自我的", "envoyé de yahoo mail",
        "enviado desde yahoo mail", "enviado do yahoo mail", "inviato da yahoo mail", "von yahoo mail auf ",
        "gesendet von yahoo mail", "verzonden met yahoo mail", "skickat från yahoo mail", "(sent from ", "<<sent by ",
        "from my iphone", "from my android", "from my samsung", "from my mobile",
    };

    /** Footers that end with a fixed phrase ("Von meinem iPhone gesendet", "iPhone에서 보냄"). Lower case. */
    static final String[] FOOTER_SUFFIXES = {
        " gesendet", " gesendet.", "から送信", "发送自我的iphone", "에서 보냄", "에서 보냈습니다", "dan gönderildi",
        "den gönderildi", "tan gönderildi", "ten gönderildi", "ról küldve", "ről küldve", "-ról küldve", "ről küldve",
        "beziehen", " downloaden", "से भेजा गया", "से भेजा", " letöltése", "용 outlook 받기", "用 outlook", "için outlook'u edinin",
        "için outlook'u indirin",
    };

    /** Footers ending with a suffix must name one of these (or start with "von " / be CJK) to count. Lower case. */
    static final String[] FOOTER_DEVICES = {"iphone", "ipad", "android", "galaxy", "samsung", "outlook", "mobile",
        "handy", "smartphone", "huawei", "xiaomi", "pixel", "blackberry", "yahoo"};

    /** Words that never follow a device name in a footer; their presence makes "Sent from my iPad the …" a sentence. */
    static final Set<String> SENTENCE_WORDS = set("the", "an", "and", "but", "because", "so", "it", "i", "is", "was",
            "this", "that", "didn't", "doesn't", "did", "does", "not", "to", "we", "you", "he", "she", "they", "there",
            "when", "while", "which", "where", "what", "why", "how", "can't", "won't", "couldn't", "then", "since",
            "yesterday", "today", "but", "der", "die", "das", "und", "weil", "ist", "war", "le", "la", "les", "et",
            "parce", "est", "el", "los", "las", "porque", "es", "il", "lo", "che", "perché");

    private static Set<String> set(String... values) {
        return Set.copyOf(Arrays.asList(values).stream().distinct().toList());
    }
}
