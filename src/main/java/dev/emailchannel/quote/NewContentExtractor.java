package dev.emailchannel.quote;

import dev.emailchannel.mime.ParsedMail;
import java.util.List;
import org.jsoup.Jsoup;

/** Finds what the customer newly wrote in a mail. First version: the plain body, or the HTML body as text. */
public final class NewContentExtractor {

    public NewContent extract(ParsedMail mail) {
        String text = mail.plainText() != null ? mail.plainText()
                : mail.html() != null ? Jsoup.parse(mail.html()).wholeText() : "";
        return new NewContent(text.replace("\r\n", "\n").strip(), "", mail.html(), null, List.of());
    }
}
