package dev.emailchannel.quote;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Classifies single lines of a plain-text mail body. Every check works on one line of bounded length
 * (longer lines are never attribution, header or footer lines), so the cost per line is constant and a
 * whole body is classified in linear time. The few regular expressions used are anchored and have no
 * nested quantifiers.
 */
final class LineClassifier {

    static final char EMPTY = 'e';
    static final char DELIMITER = 'd';
    static final char SIGNATURE = 's';
    static final char EMBEDDED = 'b';
    static final char HEADER = 'h';
    static final char QUOTE = 'q';
    static final char TEXT = 't';

    /** Lines longer than this are plain text or quote, never markers. */
    static final int MAX_MARKER_LINE = 400;

    private LineClassifier() {
    }

    static char classify(String line) {
        if (isBlank(line)) {
            return EMPTY;
        }
        if (line.length() > MAX_MARKER_LINE) {
            return isQuote(line) ? QUOTE : TEXT;
        }
        if (isDelimiter(line)) {
            return DELIMITER;
        }
        if (isMobileFooter(line)) {
            return SIGNATURE;
        }
        if (isAttribution(line) || isOriginalMessageMarker(line)) {
            return EMBEDDED;
        }
        if (isHeaderLine(line)) {
            return HEADER;
        }
        if (isQuote(line)) {
            return QUOTE;
        }
        return TEXT;
    }

    // ---------------------------------------------------------------- basics

    static boolean isBlank(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!Character.isWhitespace(c) && c != '\u00a0' && c != '\u200b' && c != '\ufeff') {
                return false;
            }
        }
        return true;
    }

    static boolean isQuote(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '>') {
                return true;
            }
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return false;
    }

    private static final String DELIMITER_CHARS = "-_,=+~#*\u1427\u2014\u2013";

    static boolean isDelimiter(String line) {
        String t = line.strip();
        if (t.isEmpty()) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            if (DELIMITER_CHARS.indexOf(t.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Removes leading blanks, quote marks, bold stars and dashes. */
    static String stripLead(String line, boolean dashes) {
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '>' || c == '*' || c == '\u00a0' || c == '\ufeff'
                    || (dashes && c == '-')) {
                i++;
            } else {
                break;
            }
        }
        return line.substring(i);
    }

    static String stripTrail(String s) {
        int e = s.length();
        while (e > 0) {
            char c = s.charAt(e - 1);
            if (c == ' ' || c == '\t' || c == '-' || c == '*' || c == '\u00a0') {
                e--;
            } else {
                break;
            }
        }
        return s.substring(0, e);
    }

    // ---------------------------------------------------------------- mobile / client footers

    private static final String[] FOOTER_PREFIXES = {
        "sent from my ", "sent from ", "sent via ", "sent with ", "sent by ", "sent using ",
        "get outlook for ", "download outlook for ", "envoyé depuis mon ", "envoyé de mon ", "envoyé à partir de ",
        "obtenir outlook pour ", "von meinem ", "gesendet von meinem ", "gesendet mit ", "diese nachricht wurde von ",
        "outlook für ", "enviado desde mi ", "enviado desde ", "obtener outlook para ", "enviado do meu ",
        "enviado a partir do meu ", "obter o outlook para ", "inviato da ", "inviato dal mio ", "scarica outlook per ",
        "verzonden vanaf mijn ", "verstuurd vanaf mijn ", "verzonden met ", "skickat från min ", "skickat från ",
        "sendt fra min ", "sendt fra ", "wysłane z mojego ", "wysłane z ", "отправлено с моего ", "отправлено из ",
        "надіслано з мого ", "надіслано з ", "отправлено с ", "outlook voor ", "发自我的", "inviato dal mio ", "enviado de meu ",
        "skickat från min ", "sendt fra min ", "lähetetty iphonesta", "wysłano z ", "lähetetty ", "odesláno z ", "从我的", "發自我的", "從我的", "来自我的",
        "skaffa outlook för ", "hämta outlook för ", "skaff outlook for ", "hent outlook til ", "få outlook til ",
        "pobierz aplikację outlook", "pobierz outlook dla ", "скачайте outlook для ", "загрузите outlook для ",
        "отримати outlook для ", "завантажте outlook для ", "outlook downloaden voor ", "baixe o outlook para ",
        "envoyé de yahoo mail", "enviado desde yahoo mail", "enviado do yahoo mail", "inviato da yahoo mail",
        "von yahoo mail auf ", "gesendet von yahoo mail", "verzonden met yahoo mail", "skickat från yahoo mail",
        "(sent from ", "<<sent by ", "from my iphone", "from my android", "from my samsung", "from my mobile",
    };

    private static final String[] FOOTER_SUFFIXES = {
        " gesendet", " gesendet.", "から送信", "iphoneから送信", "发送自我的iphone",
    };

    static boolean isMobileFooter(String line) {
        String t = withoutTrailingLink(stripLead(line, false).strip());
        if (t.length() > 90) {
            return false;
        }
        String l = t.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        int comma = l.indexOf(',');
        if (comma >= 0) {
            String after = l.substring(comma);
            if (!(after.contains("excuse") || after.contains("typo") || after.contains("brevity") || after.contains("pardon")
                    || after.contains("forgive") || after.contains("sorry"))) {
                return false;
            }
        }
        for (String p : FOOTER_PREFIXES) {
            if (l.startsWith(p) && l.length() > p.length() - 1) {
                if (p.startsWith("von meinem") || p.startsWith("diese nachricht")) {
                    return l.contains("gesendet");
                }
                return true;
            }
        }
        if (l.endsWith(" from mobile") && l.indexOf(' ') == l.lastIndexOf(" from mobile")) {
            return true;
        }
        for (String s : FOOTER_SUFFIXES) {
            if (l.endsWith(s) && (l.startsWith("von ") || l.contains("iphone") || l.contains("android") || s.startsWith("から")
                    || s.startsWith("iphone") || s.startsWith("发送"))) {
                return true;
            }
        }
        return false;
    }

    /** "Sent from Yahoo Mail for Android (https://…)" / "Get Outlook for iOS&lt;https://…&gt;": the text without the link. */
    private static String withoutTrailingLink(String t) {
        if (t.length() > MAX_MARKER_LINE || t.length() < 10) {
            return t;
        }
        char last = t.charAt(t.length() - 1);
        int at = last == ')' ? t.lastIndexOf("(http") : last == '>' ? t.lastIndexOf("<http") : -1;
        return at > 0 && t.indexOf(' ', at) < 0 ? t.substring(0, at).strip() : t;
    }

    // ---------------------------------------------------------------- attribution lines ("On ... wrote:")

    /** Words that open an "On <date>, <someone> wrote:" line, per language. */
    static final String[] OPENERS = {
        "On", "Op", "Le", "Il", "Il giorno", "Dnia", "W dniu", "Em", "El", "Am", "Den", "Dne", "D.", "På", "Pe",
        "Le lun.", "Στις", "În", "Dana",
    };

    /** Endings of attribution lines ("wrote"), compared case-insensitively, without the trailing colon. */
    static final String[] WROTE = {
        "wrote", "het volgende geschreven", "geschreven", "schreef", "a écrit", "a ecrit", "ha scritto", "napisał(a)",
        "napisał", "napisała", "escreveu", "escribió", "escribio", "schrieb", "skrev", "skrev følgende", "följande",
        "napsal(a)", "napsal", "kirjoitti", "írta", "ezt írta", "napísal", "написал", "написала", "написав", "написал(а)",
        "пишет", "писал", "scris", "a scris", "yazdı", "şunu yazdı", "έγραψε", "wrote on", "says", "schreibt",
        "hat geschrieben", "пише", "пишет", "napisał:",
    };

    /** CJK "wrote" words; may be followed by a full-width colon. */
    static final String[] WROTE_CJK = {"写道", "寫道", "書きました", "のメッセージ", "さんは書きました", "님이 작성"};

    static boolean isAttribution(String line) {
        String s = stripLead(line, true);
        String t = stripTrail(s);
        if (t.isEmpty()) {
            return false;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        boolean colon = lower.endsWith(":") || lower.endsWith("：");
        String body = colon ? lower.substring(0, lower.length() - 1).stripTrailing() : lower;
        // CJK attributions: "在 2021年10月28日 ... 写道：", "2021年10月28日(木) 12:46 John <j@x>:"
        for (String w : WROTE_CJK) {
            if (body.endsWith(w) && (colon || body.length() < 200)) {
                return true;
            }
        }
        boolean endsWrote = false;
        for (String w : WROTE) {
            if (body.endsWith(w) && (body.length() == w.length() || !Character.isLetter(body.charAt(body.length() - w.length() - 1)))) {
                endsWrote = true;
                break;
            }
        }
        if (endsWrote) {
            if (startsWithOpener(s)) {
                return true;
            }
            // "Jane Doe <jane@x.org> wrote:", "jane via Forum wrote:", "X <y@z> kirjoitti 28/10/2021 12.46:"
            if (colon && (lower.contains("@") || lower.contains("<") || lower.contains(" via ") || hasFourDigits(lower)
                    || hasDigit(lower) && lower.contains(":") && body.length() < 150 || body.split(" ").length <= 4)) {
                return true;
            }
            return false;
        }
        if (colon) {
            // "Am 18.09.2013 um 16:24 schrieb codinghorror <info@discourse.org>:" / "Op ... schreef X:"
            if ((s.startsWith("Am ") && lower.contains(" schrieb ")) || (s.startsWith("Op ") && lower.contains(" schreef "))
                    || (lower.contains(" skrev ") && hasDigit(lower)) || lower.contains(" napsal") || lower.contains(" napísal")
                    || lower.contains("пользователь ") && lower.contains(" написал")
                    || lower.contains(" tarihinde ") || lower.contains(" ezt írta") || lower.contains(" kirjoitti ")
                    || lower.contains(" escribió") || lower.contains(" a écrit") || lower.contains(" schrieb am ")) {
                return true;
            }
            // "2015-10-18 0:17 GMT+03:00 Matt <m@x.org>:", "вт, 5 янв. 2016 г. в 23:39, Erlend <e@x.org>:"
            if (body.endsWith(">") && hasFourDigits(body)) {
                int lt = body.lastIndexOf('<');
                return lt >= 0 && body.indexOf('@', lt) > 0;
            }
        } else if (body.endsWith(">") && hasFourDigits(body)) {
            int lt = body.lastIndexOf('<');
            if (lt > 0 && body.indexOf('@', lt) > 0 && body.indexOf('.', body.indexOf('@', lt)) > 0
                    && (startsWithOpener(s) || looksLikeDateStart(body))) {
                return true;
            }
        }
        if (ISO_DATE_SOMEONE.matcher(s).matches()) {
            return true;
        }
        if (lower.startsWith("posted by ") && POSTED_BY.matcher(lower).matches()) {
            return true;
        }
        return false;
    }

    private static final Pattern ISO_DATE_SOMEONE =
            Pattern.compile("20\\d\\d-\\d\\d-\\d\\d \\d{1,2}:\\d\\d GMT[+-]\\d\\d:\\d\\d [\\p{L}\\p{N}_ ]{1,100}");
    private static final Pattern POSTED_BY = Pattern.compile("posted by [^\\n]{1,100}? on \\d{2}/\\d{2}/\\d{4}");

    private static boolean looksLikeDateStart(String body) {
        return body.length() > 4 && Character.isDigit(body.charAt(0));
    }

    static boolean startsWithOpener(String s) {
        for (String o : OPENERS) {
            if (s.startsWith(o) && s.length() > o.length() + 1 && Character.isWhitespace(s.charAt(o.length()))) {
                return true;
            }
        }
        return false;
    }

    static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static boolean hasFourDigits(String s) {
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (++run >= 4) {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- "-----Original Message-----" and friends

    /** Phrases that, between dashes, introduce an original or forwarded message. Lower case. */
    static final String[] MESSAGE_MARKERS = {
        "original message", "forwarded message", "original e-mail", "forwarded e-mail", "reply message",
        "message transféré", "message d'origine", "message original", "message initial", "ursprüngliche nachricht",
        "weitergeleitete nachricht", "originalnachricht", "mensaje original", "mensaje reenviado", "mensagem original",
        "mensagem encaminhada", "mensagem reencaminhada", "messaggio originale", "messaggio inoltrato",
        "oorspronkelijk bericht", "origineel bericht", "doorgestuurd bericht", "ursprungligt meddelande",
        "vidarebefordrat meddelande", "opprinnelig melding", "videresendt melding", "oprindelig meddelelse",
        "videresendt meddelelse", "oryginalna wiadomość", "wiadomość oryginalna", "przekazana wiadomość",
        "wiadomość przesłana dalej", "treść przekazanej wiadomości", "исходное сообщение", "пересылаемое сообщение",
        "пересланное сообщение", "перенаправленное сообщение", "вихідне повідомлення", "переслане повідомлення",
        "початкове повідомлення", "оригінальне повідомлення", "message transmis", "перенаправлене повідомлення", "пересланное письмо", "mensaje reenviado", "iletilmiş mesaj", "iletilen ileti", "переслане повідомлення", "пересланий лист", "messaggio inoltrato", "videresendt besked", "vidaresendt", "edelleenlähetetty viesti", "poruka je proslijeđena", "proslijeđena poruka", "původní zpráva", "přeposlaná zpráva", "pôvodná správa",
        "preposlaná správa", "alkuperäinen viesti", "välitetty viesti", "edelleenlähetetty viesti", "eredeti üzenet",
        "továbbított üzenet", "mesajul original", "mesaj redirecționat", "izvorna poruka", "proslijeđena poruka",
        "orijinal mesaj", "özgün ileti", "iletilen ileti", "iletilmiş mesaj", "edastatud kiri", "algne kiri",
        "元のメッセージ", "転送メッセージ", "メッセージを転送", "转发的邮件", "原始邮件", "原始郵件", "轉寄的郵件", "転送されたメッセージ",
    };

    /** Lines such as "Begin forwarded message:" in several languages. Lower case, without the colon. */
    static final String[] BEGIN_FORWARD = {
        "begin forwarded message", "forwarded message", "anfang der weitergeleiteten nachricht", "début du message réexpédié",
        "début du message transféré", "inicio del mensaje reenviado", "início da mensagem reencaminhada",
        "início da mensagem encaminhada", "inizio messaggio inoltrato", "begin doorgestuurd bericht",
        "vidarebefordrat mejl", "vidarebefordrat brev", "början på vidarebefordrat meddelande", "videresendt melding",
        "start på videresendt besked", "start på videresendt meddelelse", "początek przekazywanej wiadomości",
        "начало переадресованного сообщения", "початок листа, що пересилається", "začátek přeposílané zprávy",
        "začiatok preposlanej správy", "započni proslijeđenu poruku", "välitetty viesti alkaa",
        "továbbított levél kezdete", "începe mesajul redirecționat", "i̇leti başlangıcı", "ileti başlangıcı",
        "転送されたメッセージ", "以下为转发的邮件",
    };

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT).replace("\u0307", "");
    }

    static boolean isOriginalMessageMarker(String line) {
        String s = stripLead(line, false).strip();
        if (s.isEmpty()) {
            return false;
        }
        String lower = lower(s);
        if (lower.startsWith("--") || lower.startsWith("__") || lower.startsWith("—")) {
            String inner = stripTrail(stripLead(lower, true)).strip();
            if (inner.endsWith(":")) {
                inner = inner.substring(0, inner.length() - 1).strip();
            }
            for (String m : MESSAGE_MARKERS) {
                if (inner.startsWith(m)) {
                    return true;
                }
            }
            return false;
        }
        if (lower.endsWith(":") || lower.endsWith("：")) {
            String inner = lower.substring(0, lower.length() - 1).strip();
            for (String m : BEGIN_FORWARD) {
                if (inner.equals(m)) {
                    return true;
                }
            }
        }
        return lower.equals("reply message");
    }

    // ---------------------------------------------------------------- "From: / Sent: / To: / Subject:" header lines

    static final Set<String> FROM_KEYS = setOf("from", "von", "de", "de la", "da", "van", "från", "fra", "od", "от",
            "від", "lähettäjä", "kimden", "gönderen", "feladó", "saatja", "šalje", "expeditor", "送信元", "差出人", "发件人",
            "寄件者", "afzender", "remetente", "expeditorul", "отправитель", "від кого", "nadawca", "odesílatel", "odosielateľ", "pošiljatelj", "avsändare", "afsender", "avsender", "lähettäjä", "mittente", "absender", "frá", "lähettäjä", "from (name)");
    static final Set<String> SUBJECT_KEYS = setOf("subject", "betreff", "objet", "sujet", "asunto", "assunto", "oggetto",
            "onderwerp", "ämne", "emne", "temat", "тема", "aihe", "konu", "tárgy", "teema", "predmet", "subiect",
            "předmět", "naslov", "subiectul", "sujet", "tema", "asunto", "betreff", "件名", "主题", "主旨", "主題", "emne");
    static final Set<String> DATE_KEYS = setOf("date", "datum", "fecha", "data", "dato", "дата", "päivämäärä", "tarih",
            "dátum", "kuupäev", "sent", "gesendet", "envoyé", "enviado", "enviada em", "enviado em", "enviado el",
            "inviato", "verzonden", "skickat", "sendt", "wysłano", "wysłane", "отправлено", "надіслано", "lähetetty",
            "gönderildi", "gönderilme", "elküldve", "odesláno", "odoslané", "poslano", "trimis", "送信日時", "日期",
            "发送时间", "日時", "küldve", "saadetud", "sent at", "date sent", "envoyé le", "datum odeslání", "dátum odoslania",
            "時間", "päiväys", "dată", "відправлено", "надіслано", "日付", "data/hora", "datum a čas", "dato/tid", "päivä");
    static final Set<String> OTHER_KEYS = setOf("to", "an", "à", "a", "para", "aan", "till", "til", "do", "кому",
            "komu", "vastaanottaja", "kime", "címzett", "saaja", "prima", "za", "cc", "kopie", "kopia", "копия",
            "копія", "kopio", "bilgi", "másolat", "koopia", "dw", "cci", "bcc", "reply-to", "antwort an", "宛先",
            "收件人", "抄送", "ccn", "kopi", "kópia", "kopija", "către", "destinatario", "destinatário", "répondre à",
            "risposta", "risposta a", "responder a", "svara till", "svar til", "odpowiedź do", "ответить", "cc.", "c.c.",
            "kp", "mottaker", "mottagare", "modtager", "destinataire", "empfänger", "cco", "bcc", "priorität",
            "importance", "wichtigkeit", "priority", "pre", "pour", "copie à", "kopie (cc)", "adresat", "destinatarul", "送信先", "címzettek", "příjemce", "prejemnik", "komu", "kopija (cc)", "cc (kopia)");

    private static Set<String> setOf(String... values) {
        return Set.copyOf(java.util.Arrays.asList(values));
    }

    static String headerKey(String line) {
        String s = stripLead(line, false);
        int colon = -1;
        int max = Math.min(s.length(), 32);
        for (int i = 0; i < max; i++) {
            char c = s.charAt(i);
            if (c == ':' || c == '：') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            return null;
        }
        String key = s.substring(0, colon);
        int e = key.length();
        while (e > 0 && (key.charAt(e - 1) == '*' || key.charAt(e - 1) == ' ' || key.charAt(e - 1) == '\t' || key.charAt(e - 1) == '\u00a0')) {
            e--;
        }
        return lower(key.substring(0, e));
    }

    static String headerValue(String line) {
        String s = stripLead(line, false);
        int colon = -1;
        for (int i = 0; i < Math.min(s.length(), 33); i++) {
            char c = s.charAt(i);
            if (c == ':' || c == '：') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return "";
        }
        String v = s.substring(colon + 1);
        int i = 0;
        while (i < v.length() && (v.charAt(i) == '*' || Character.isWhitespace(v.charAt(i)))) {
            i++;
        }
        return v.substring(i).strip();
    }

    static boolean isHeaderLine(String line) {
        if (isQuote(line)) {
            return false;
        }
        String key = headerKey(line);
        if (key == null) {
            return false;
        }
        String value = headerValue(line);
        if (DATE_KEYS.contains(key)) {
            return hasDigit(value);
        }
        if ((FROM_KEYS.contains(key) || OTHER_KEYS.contains(key)) && value.indexOf('@') < 0 && value.indexOf('<') < 0
                && value.indexOf('[') < 0 && value.split("\\s+").length > 5) {
            return false; // "From: the dashboard I clicked reset" is prose, not a header
        }
        if (FROM_KEYS.contains(key) || SUBJECT_KEYS.contains(key) || OTHER_KEYS.contains(key)) {
            for (int i = 0; i < value.length(); i++) {
                if (Character.isLetterOrDigit(value.charAt(i))) {
                    return true;
                }
            }
        }
        return false;
    }
}
