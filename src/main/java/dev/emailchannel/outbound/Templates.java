package dev.emailchannel.outbound;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{ var }}} placeholders of campaign subjects and bodies. Whitespace inside the braces is optional. Anything
 * between double braces is a placeholder, so a misspelt one ({@code {{ first name }}}) is reported, not sent.
 */
public final class Templates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    private Templates() {
    }

    /** The placeholder names used in {@code template}, in order of first use. */
    public static Set<String> placeholders(String template) {
        Set<String> names = new LinkedHashSet<>();
        if (template != null) {
            Matcher m = PLACEHOLDER.matcher(template);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * Fills every placeholder from {@code vars}, passing each value through {@code escape} (HTML escaping for HTML
     * bodies).
     *
     * @throws IllegalArgumentException when a placeholder has no value
     */
    public static String fill(String template, Map<String, String> vars, UnaryOperator<String> escape) {
        if (template == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("unknown placeholder {{ " + m.group(1) + " }}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(escape.apply(value)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
