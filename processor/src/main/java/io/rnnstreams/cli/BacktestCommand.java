package io.rnnstreams.cli;

import io.rnnstreams.backtest.Backtest;
import io.rnnstreams.backtest.BacktestException;
import io.rnnstreams.backtest.BacktestOptions;
import io.rnnstreams.backtest.BacktestPlots;
import io.rnnstreams.backtest.BacktestReport;
import io.rnnstreams.backtest.LabelWindows;
import io.rnnstreams.backtest.PlotOptions;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.eval.OnlineAr;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code rnn-streams backtest}: replays a sensor topic through the model ({@link Backtest}) and prints how its
 * forecasts compare with an online AR baseline and persistence, and the anomalies it flagged.
 *
 * <p>Exit codes: 0 done, 1 the backtest failed (Kafka, timeout, I/O), 2 invalid configuration or options.
 */
@Command(name = "backtest", sortOptions = false,
        description = {"Replay a sensor topic through the forecasting model under a fresh application id and "
                + "report, per sensor and overall, the readings scored and the MAE, RMSE and MASE (against "
                + "persistence) of the RNN and of an online AR(p) baseline, and the anomalies flagged.",
            "The configuration is loaded as for run: defaults < --config < environment < --set; its "
                    + "rnn.topic.* settings and application.id are replaced by the options below."},
        footer = {"", "Exit codes: 0 done, 1 backtest failed (Kafka, timeout, I/O), 2 invalid configuration or "
                + "options.", "", "Example:",
            "  rnn-streams backtest --config rnn-streams.properties --input-topic sensor-readings --plot charts"})
public final class BacktestCommand implements Callable<Integer> {
    /** What the command runs; {@link Backtest#run} unless a test passes another. */
    @FunctionalInterface
    public interface Runner {
        BacktestReport run(AppConfig config, BacktestOptions options) throws Exception;
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

    private final Map<String, String> environment;
    private final Runner runner;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Mixin
    private ConfigOptions configOptions;

    @Option(names = "--input-topic", required = true, paramLabel = "TOPIC",
            description = "The sensor topic to replay from its earliest offset (as of the start).")
    private String inputTopic;

    @Option(names = "--output-topic", paramLabel = "TOPIC", description = "Where the backtest's predictions go "
            + "(created if missing). Default: the input topic + \"-backtest-predictions\".")
    private String outputTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC", description = "Where the backtest's dead "
            + "letters go (created if missing). Default: the output topic + \"-dead-letters\".")
    private String deadLetterTopic;

    @Option(names = "--plot", paramLabel = "DIR", description = "Write PNG charts, " + BacktestPlots.WIDTH + " pixels "
            + "wide: DIR/<sensor>-forecast.png (per channel: actual, RNN and AR forecasts, the RNN's interval as a "
            + "band, alarms and labelled readings), DIR/<sensor>-error.png (per channel: rolling mean absolute error "
            + "of RNN and AR) and DIR/<sensor>-anomaly.png (score, threshold, alarms, labels).")
    private Path plotDir;

    @Option(names = "--plot-sensors", paramLabel = "SENSOR", split = ",", description = "Sensors to chart, "
            + "comma-separated. Default: the first " + BacktestOptions.DEFAULT_PLOT_SENSORS + " by name.")
    private List<String> plotSensors = new ArrayList<>();

    @Option(names = "--plot-window", paramLabel = "WINDOW", defaultValue = "all", description = "The readings the "
            + "charts show: all (the whole range), last:N (the last N readings) or FROM/TO (ISO-8601 instants, "
            + "e.g. 2017-01-01T00:00:00Z/2017-01-08T00:00:00Z; either side may be empty). Default: ${DEFAULT-VALUE}.")
    private String plotWindow;

    @Option(names = "--plot-channel", paramLabel = "CHANNEL", description = "Chart only this channel, by its name "
            + "(the predictions' channelNames, e.g. a CSV column) or its number from 0. Default: every channel, one "
            + "panel each.")
    private String plotChannel;

    @Option(names = "--anomaly-threshold", paramLabel = "SCORE", defaultValue = "0.9999",
            description = "List readings whose anomaly score is at least this, in [0, 1]. Default: "
                    + "${DEFAULT-VALUE}.")
    private double anomalyThreshold;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "Give up after this long (ISO-8601 like PT10M, or a whole number with unit ms, s, m, h "
                    + "or d). Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--labels", paramLabel = "FILE", description = "Labelled anomaly windows, a CSV with the "
            + "header sensor,start,end (inclusive event times, epoch milliseconds or ISO-8601): the report then "
            + "ends with NAB-style profiles, ROC/PR AUC, F1/FAR/MAR and event figures of the anomaly score beside "
            + "reference detectors, and the charts mark the labelled readings.")
    private Path labels;

    @Option(names = "--ar-order", paramLabel = "P", defaultValue = "8",
            description = "Order p of the AR baseline. Default: ${DEFAULT-VALUE}.")
    private int arOrder;

    /** The command with the process environment, running {@link Backtest#run}. */
    public BacktestCommand(Map<String, String> environment) {
        this(environment, Backtest::run);
    }

    /** The command with the given environment and runner (for tests). */
    public BacktestCommand(Map<String, String> environment, Runner runner) {
        this.environment = Map.copyOf(environment);
        this.runner = runner;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            AppConfig appConfig = configOptions.load(environment, err);
            BacktestOptions options = new BacktestOptions(inputTopic, outputTopic, deadLetterTopic, plotDir,
                    plotSensors, anomalyThreshold, BacktestOptions.DEFAULT_LIST_LIMIT, timeout, arOrder,
                    OnlineAr.DEFAULT_LAMBDA, OnlineAr.DEFAULT_DELTA, labels == null ? null : LabelWindows.read(labels),
                    PlotOptions.window(plotWindow, plotChannel));
            BacktestReport report = runner.run(appConfig, options);
            out.print(report.table());
            return 0;
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("rnn-streams: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("rnn-streams: backtest interrupted");
            return 1;
        } catch (java.util.concurrent.TimeoutException | BacktestException e) {
            err.println("rnn-streams: backtest failed: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            return 1;
        } catch (Exception e) {
            err.println("rnn-streams: backtest failed: " + e);
            e.printStackTrace(err);
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** ISO-8601 ({@code PT10M}) or a whole number with unit ms, s, m, h or d ({@code 10m}); positive. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            Duration d;
            Matcher m = SHORT_DURATION.matcher(v);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                try {
                    d = Duration.parse(value.trim());
                } catch (DateTimeParseException e) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: use e.g. "
                            + "PT10M, 90s, 10m or 2h");
                }
            }
            if (d.isZero() || d.isNegative()) {
                throw new CommandLine.TypeConversionException("the timeout must be positive, got '" + value + "'");
            }
            return d;
        }
    }
}
