package io.rnnstreams.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.kafka.common.utils.AppInfoParser;
import picocli.CommandLine;

/**
 * {@code --version}: the project version from the jar's manifest ({@code Implementation-Version}) or from the
 * {@code pom.properties} that Maven puts in every jar; "development build" when run from classes.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
    static final String POM_PROPERTIES = "/META-INF/maven/io.rnnstreams/rnn-streams-processor/pom.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"rnn-streams " + projectVersion(),
            "Kafka Streams " + AppInfoParser.getVersion(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }

    /** The project version, or {@code development build} when it is not packaged. */
    static String projectVersion() {
        String v = Main.class.getPackage() == null ? null : Main.class.getPackage().getImplementationVersion();
        if (v != null && !v.isBlank()) {
            return v;
        }
        try (InputStream in = Main.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through: the version is informational
        }
        return "development build";
    }
}
