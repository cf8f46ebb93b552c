package io.rnnstreams.cli;

import io.rnnstreams.config.AppConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn-streams run}: builds the configuration and runs the application. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Run the forecasting application until stopped.",
            "The configuration is, lowest to highest precedence: built-in defaults < the --config file < "
                    + "environment variables (RNN_MODEL_HIDDEN sets rnn.model.hidden, KAFKA_BOOTSTRAP_SERVERS "
                    + "sets bootstrap.servers) < --set flags. Every problem is reported at once."},
        footer = {"", "Every rnn.* setting, its default and allowed values: rnn-streams settings",
            "Exit codes: 0 stopped cleanly, 1 runtime failure, 2 invalid configuration or usage; 143 after a "
                    + "clean close on SIGTERM (the JVM's code for that signal).",
            "", "Example:",
            "  rnn-streams run --config rnn-streams.properties --set rnn.model.hidden=64,32 "
                    + "--set bootstrap.servers=kafka:9092"})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    private final Application application;
    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions configOptions;

    @Option(names = "--print-config",
            description = "Print the effective configuration, with where each value came from and secrets "
                    + "hidden, and exit without starting.")
    private boolean printConfig;

    RunCommand(Application application, Map<String, String> environment) {
        this.application = application;
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        if (printConfig) {
            PrintWriter err = spec.commandLine().getErr();
            AppConfig appConfig = configOptions.load(environment, err);
            err.flush();
            PrintWriter out = spec.commandLine().getOut();
            out.print(appConfig.describe());
            out.flush();
            return 0;
        }
        AppConfig appConfig = configOptions.load(environment);
        for (String warning : appConfig.warnings()) {
            LOG.warn("{}", warning);
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("Starting rnn-streams {}\n{}", VersionProvider.projectVersion(), appConfig.describe());
        }
        return application.run(appConfig);
    }
}
