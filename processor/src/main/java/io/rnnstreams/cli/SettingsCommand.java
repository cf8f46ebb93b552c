package io.rnnstreams.cli;

import io.rnnstreams.config.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn-streams settings}: prints every setting with its default, allowed values and documentation. */
@Command(name = "settings", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Print every rnn.* setting with its default, allowed values and description, and the "
                + "Kafka settings whose defaults rnn-streams sets.")
final class SettingsCommand implements Callable<Integer> {
    /** Output formats of the table. */
    enum Format { TEXT, MARKDOWN, PROPERTIES }

    @Spec
    private CommandSpec spec;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (an aligned table), markdown (a table for documentation) or properties "
                    + "(the documented example configuration file). Default: ${DEFAULT-VALUE}.")
    private Format format = Format.TEXT;

    @Override
    public Integer call() {
        String text;
        switch (format) {
            case MARKDOWN:
                text = Settings.markdown();
                break;
            case PROPERTIES:
                text = Settings.exampleProperties();
                break;
            default:
                text = Settings.table();
                break;
        }
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
