package dev.emailchannel.outbound;

import dev.emailchannel.mime.EmailAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jsoup.nodes.Entities;

/**
 * A templated email to many participants. Every participant is checked (address, placeholders, subject) before any
 * email is queued, so a bad participant stops the whole campaign and nothing is half-sent. Besides its own
 * {@code vars}, each participant has the placeholders {@code address} and {@code name}.
 */
public final class Campaign {

    /** Largest number of participants in one request. */
    public static final int MAX_PARTICIPANTS = 10_000;
    private static final int MAX_PROBLEMS = 20;

    /** One participant as posted. */
    public record Participant(String address, String name, Map<String, String> vars) {
        public Participant {
            vars = vars == null ? Map.of() : Map.copyOf(vars);
        }
    }

    /** One participant's email, placeholders filled. */
    public record Personalised(EmailAddress to, String subject, String text, String html) {
    }

    /** The campaign cannot be sent; {@code problems} name the participants and what is wrong. */
    public static final class InvalidCampaignException extends IllegalArgumentException {
        private final List<String> problems;

        InvalidCampaignException(List<String> problems, int total) {
            super(String.join("; ", problems) + (total > problems.size()
                    ? "; and " + (total - problems.size()) + " more problem(s)" : ""));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private Campaign() {
    }

    /** Every participant's email, or {@link InvalidCampaignException} naming every problem found (at most 20). */
    public static List<Personalised> personalise(String subject, String text, String html,
            List<Participant> participants) {
        List<String> problems = new ArrayList<>();
        int total = 0;
        if (participants.isEmpty()) {
            throw new InvalidCampaignException(List.of("\"participants\" is empty"), 1);
        }
        if (participants.size() > MAX_PARTICIPANTS) {
            throw new InvalidCampaignException(List.of("too many participants: " + participants.size()
                    + ", at most " + MAX_PARTICIPANTS + " per request"), 1);
        }
        Set<String> used = new LinkedHashSet<>();
        used.addAll(Templates.placeholders(subject));
        used.addAll(Templates.placeholders(text));
        used.addAll(Templates.placeholders(html));
        Set<String> seen = new HashSet<>();
        List<Personalised> out = new ArrayList<>();
        for (int i = 0; i < participants.size(); i++) {
            Participant p = participants.get(i);
            String who = "participants[" + i + "]" + (p.address() == null ? "" : " (" + p.address().trim() + ")");
            try {
                EmailAddress to = Recipients.address("participants[" + i + "].address", p.address(), p.name());
                if (!seen.add(to.key())) {
                    throw new IllegalArgumentException(to.address() + " is listed more than once");
                }
                Map<String, String> vars = new HashMap<>(p.vars());
                vars.putIfAbsent("address", to.address());
                vars.putIfAbsent("name", to.name() == null ? "" : to.name());
                List<String> unknown = used.stream().filter(n -> !vars.containsKey(n)).toList();
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException("unknown placeholder(s) " + unknown.stream()
                            .map(n -> "{{ " + n + " }}").toList() + ": not in vars");
                }
                String s = Templates.fill(subject, vars, UnaryOperator.identity());
                Recipients.noLineBreak("subject", s);
                out.add(new Personalised(to, s, Templates.fill(text, vars, UnaryOperator.identity()),
                        Templates.fill(html, vars, Entities::escape)));
            } catch (IllegalArgumentException e) {
                total++;
                if (problems.size() < MAX_PROBLEMS) {
                    String message = e.getMessage();
                    problems.add(message.startsWith("\"participants[") ? message : who + ": " + message);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidCampaignException(problems, total);
        }
        return out;
    }

    static String key(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
