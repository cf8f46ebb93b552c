package io.rnnstreams.cli;

import io.rnnstreams.avro.ModelState;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.stream.ModelExport;
import io.rnnstreams.stream.ModelFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn-streams export-model}: writes a learned model to a file, for {@code rnn.model.init}. */
@Command(name = "export-model", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Write a learned model (the shared one, or one sensor's) to an Avro file, read from the "
                + "model changelog of the configured application.id. Start new deployments from it with "
                + "rnn.model.init=FILE."},
        footer = {"", "Exit codes: 0 written, 1 failure (broker unreachable), 2 invalid usage, no such "
                + "application.id or key (nothing is created).",
            "", "Example:", "  rnn-streams export-model --config prod.properties --key shared --output warm.avro"})
final class ExportModelCommand implements Callable<Integer> {
    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions configOptions;

    @Option(names = "--key", paramLabel = "KEY",
            description = "Whose model: a sensor id (key scope) or 'shared' (shared scope; the default there). "
                    + "In shared scope every stream task has its own model; the changelog's last one is taken.")
    private String key;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The file to write.")
    private Path output;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT1M",
            description = "How long to wait for the broker (ISO-8601). Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    ExportModelCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        AppConfig config = configOptions.load(environment);
        String modelKey = key != null ? key
                : config.streamSettings().scope() == ModelScope.SHARED ? "shared" : null;
        if (modelKey == null) {
            spec.commandLine().getErr().println("rnn-streams: --key SENSOR is required in key scope");
            return Main.INVALID;
        }
        Properties props = config.kafkaProperties();
        String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        ModelState state;
        try {
            state = ModelExport.latest(props, applicationId, modelKey, timeout);
        } catch (IllegalArgumentException e) {
            // no such changelog or key: a user mistake, one line
            spec.commandLine().getErr().println("rnn-streams: " + e.getMessage());
            return Main.INVALID;
        }
        ModelFile.write(output, state, "application.id=" + applicationId + ", key=" + modelKey);
        spec.commandLine().getOut().printf("Wrote the model of '%s' (%,d updates, configuration %s) to %s%n",
                modelKey, state.getUpdates(), state.getConfigFingerprint(), output);
        if (config.streamSettings().learnerChoice().hybrid()) {
            spec.commandLine().getOut().println("It is the hybrid learner's recurrent network (rnn.learner=hybrid; "
                    + "each sensor's classical part is in its key state): rnn.model.init warm-starts the plain RNN "
                    + "only (rnn.learner=rnn), so this file keeps the learned weights but cannot start a deployment");
        }
        return Main.OK;
    }
}
