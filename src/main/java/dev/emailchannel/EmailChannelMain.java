package dev.emailchannel;

import dev.emailchannel.config.InvalidSettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.main.Main;

/**
 * Starts the email channel: camel-main with {@code application.properties} and the route files of the working
 * directory when present ({@code ./application.properties}, {@code ./routes/}), else the copies packaged in the jar.
 */
public final class EmailChannelMain {

    private EmailChannelMain() {
    }

    static final String USAGE = """
            Usage: java -jar email-channel.jar [command]

              (no command)   run the channel, configured by environment variables (see README, "Configuration")
              demo           run the demo: embedded mail servers, a sample agent and H2 under ./data/demo
              send [text]    write to the running demo as its customer and print the agent's reply
              --help         show this help
            """;

    /** The system property Jakarta Mail reads first when it looks for its stream provider. */
    static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";
    /** Angus Mail's stream provider: the one a {@code ServiceLoader} finds on the class path. */
    static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    public static void main(String[] args) throws Exception {
        // what reaches the console outside logback (an uncaught exception's report) is masked too
        dev.emailchannel.secrets.MaskingOutputStream.installOnStandardStreams();
        // Jakarta Mail looks up its stream provider for every header block it reads (InternetHeaders.load, each mail
        // stored); without this setting the lookup is a ServiceLoader scan of the whole jar: 68-80 us per header block
        // against 3.5-3.9 us with it, 90 % of the pickup's time on a stored mail's headers (bench/README, "Backlog:
        // where the rest of the time goes"). Angus Mail's provider is the one that scan finds (EmailChannelMainTest).
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, ANGUS_STREAM_PROVIDER);
        }
        if (args.length > 0 && List.of("--help", "-h", "-help", "help").contains(args[0])) {
            System.out.print(USAGE);
            return;
        }
        if (args.length > 0 && args[0].equals("demo")) {
            dev.emailchannel.demo.Demo.run(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("send")) {
            dev.emailchannel.demo.DemoClient.send(args);
            return;
        }
        Main main = new Main();
        configure(main, Path.of("."));
        try {
            main.run(args);
        } catch (Exception e) {
            if (invalidSettings(e)) {
                // each problem was logged on its own line, naming the variable; a stack trace would only hide them
                System.exit(2);
            }
            throw e;
        }
    }

    private static boolean invalidSettings(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidSettingsException) {
                return true;
            }
        }
        return false;
    }

    /** Wires a camel-main instance the way production runs it; tests call this too. */
    public static void configure(Main main, Path workingDirectory) {
        String properties = "classpath:application.properties;optional=true";
        if (Files.isRegularFile(workingDirectory.resolve("application.properties"))) {
            properties += ",file:" + workingDirectory.resolve("application.properties") + ";optional=true";
        }
        main.setDefaultPropertyPlaceholderLocation(properties);
        Path routes = workingDirectory.resolve("routes");
        main.configure().withRoutesIncludePattern(Files.isDirectory(routes)
                ? "file:" + routes.toAbsolutePath().normalize() + "/*.camel.yaml"
                : "classpath:routes/*.camel.yaml");
        main.configure().addConfiguration(ChannelConfiguration.class);
    }
}
