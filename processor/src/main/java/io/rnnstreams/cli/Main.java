package io.rnnstreams.cli;

import io.rnnstreams.config.ConfigException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The command line: {@code rnn-streams run --config FILE [--set key=value]... [--print-config]},
 * {@code rnn-streams settings}, {@code --help}, {@code --version}.
 *
 * <p>Exit codes: {@value #OK} ok, {@value #FAILURE} runtime failure, {@value #INVALID} invalid configuration
 * (the {@link ConfigException}'s message on stderr, no stack trace) or invalid usage.
 */
@Command(name = "rnn-streams", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Learns online recurrent-network forecasts per sensor key from Kafka topics.",
        footer = {"", "Examples:",
            "  rnn-streams run --config rnn-streams.properties",
            "  rnn-streams run --config rnn-streams.properties --set rnn.model.cell=gru --print-config",
            "  rnn-streams settings",
            "", "Options of run: --config FILE (properties file), --set KEY=VALUE (repeatable, highest precedence),",
            "--print-config (print the effective configuration and exit). See: rnn-streams run --help",
            "Exit codes: 0 ok, 1 runtime failure, 2 invalid configuration or usage."})
public final class Main implements Callable<Integer> {
    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: the application failed at run time. */
    public static final int FAILURE = 1;
    /** Exit code: invalid configuration or command line. */
    public static final int INVALID = 2;

    private final Application application;
    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    /** A command line that runs {@code application}, with the process environment. */
    public Main(Application application) {
        this(application, System.getenv());
    }

    /** A command line that runs {@code application}, with the given environment variables (for tests). */
    public Main(Application application, Map<String, String> environment) {
        this.application = Objects.requireNonNull(application, "application");
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    public static void main(String[] args) {
        System.exit(new Main(StreamsApp::run).execute(args));
    }

    /** Runs the command line with {@code System.out} and {@code System.err}; returns the exit code. */
    public int execute(String... args) {
        return execute(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
    }

    /** Runs the command line writing to {@code out} and {@code err}; returns the exit code. */
    public int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(this);
        cl.addSubcommand("run", new RunCommand(application, environment));
        cl.addSubcommand("settings", new SettingsCommand());
        cl.addSubcommand("export-model", new ExportModelCommand(environment));
        cl.addSubcommand("demo", new DemoCommand(environment));
        cl.addSubcommand("replay", new ReplayCommand(environment));
        cl.addSubcommand("backtest", new BacktestCommand(environment));
        cl.addSubcommand("accuracy", new AccuracyCommand(environment));
        cl.addSubcommand("detection", new DetectionCommand(environment));
        cl.addSubcommand("tail", new TailCommand(environment));
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            if (ex instanceof ConfigException) {
                e.println("rnn-streams: " + ex.getMessage());
                e.flush();
                return INVALID;
            }
            e.println("rnn-streams: failed: " + ex);
            ex.printStackTrace(e);
            e.flush();
            return FAILURE;
        });
        // picocli echoes unmatched arguments: never a secret (--sett sasl.jaas.config=..., a forgotten '=')
        cl.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine command = ex.getCommandLine();
            PrintWriter e = command.getErr();
            e.println(command.getColorScheme().errorText(io.rnnstreams.config.Secrets.mask(ex.getMessage(), arguments)));
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, e)) {
                command.usage(e, command.getColorScheme());
            }
            e.flush();
            return INVALID;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** {@code rnn-streams} without a command: the usage, as a usage error. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("rnn-streams: missing command");
        spec.commandLine().usage(err);
        err.flush();
        return INVALID;
    }
}
