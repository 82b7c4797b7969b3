package dev.emailchannel.quote;

/**
 * The From, Date/Sent and Subject values of a header block as they are read line by line (the first of each wins),
 * in any of the languages of {@link MarkerWords}; whether any other field (To, Cc, …) was seen.
 */
final class HeaderFields {

    String from;
    String date;
    String subject;
    boolean other;

    /** Takes one field; returns false when the key is not a known header field name. */
    boolean take(String key, String value) {
        if (MarkerWords.FROM_KEYS.contains(key)) {
            from = from == null ? value : from;
        } else if (MarkerWords.SUBJECT_KEYS.contains(key)) {
            subject = subject == null ? value : subject;
        } else if (MarkerWords.DATE_KEYS.contains(key)) {
            date = date == null ? value : date;
        } else if (MarkerWords.OTHER_KEYS.contains(key)) {
            other = true;
        } else {
            return false;
        }
        return true;
    }
}
