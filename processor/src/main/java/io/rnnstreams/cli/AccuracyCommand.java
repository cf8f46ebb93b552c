package io.rnnstreams.cli;

import io.rnnstreams.accuracy.Accuracy;
import io.rnnstreams.accuracy.AccuracyException;
import io.rnnstreams.accuracy.AccuracyOptions;
import io.rnnstreams.accuracy.AccuracyReport;
import io.rnnstreams.accuracy.HorizonAccuracy;
import io.rnnstreams.accuracy.HorizonReport;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.LearnerChoice;
import io.rnnstreams.eval.Dataset;
import io.rnnstreams.model.LearnerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn-streams accuracy}: prequential one-step MAE, RMSE and MASE of persistence, seasonal persistence,
 * online AR(p) and the RNN (Elman, GRU, LSTM; scopes key and shared) on generated series and on ETTh1, in
 * process (no broker), as markdown tables printed and written to a file.
 *
 * <p>Exit codes: 0 done, 1 failed, 2 invalid configuration, options or input (e.g. ETTh1 missing).
 */
@Command(name = "accuracy", sortOptions = false,
        description = {"Score one-step forecasts prequentially (test, then train) on generated series of known "
                + "structure (seasonal + trend + noise, regime switch, Mackey-Glass, logistic map; several keys "
                + "each), the demo data, ETTh1 (OT alone, the seven channels as one sensor and as seven sensors) "
                + "and SKAB (runs as 8-channel sensors, channels as univariate sensors, anomaly-free, the fleet of "
                + "runs in time order): the baselines (persistence, seasonal persistence, online AR(p) by RLS, "
                + "online Holt-Winters, their classical combination by recent errors), the plain RNN (scopes key "
                + "and shared) run through the topology's per-reading code, the hybrid learner and its ablation, "
                + "in process (no broker); then a summary of MASE ratios to each dataset's best baseline.",
            "The RNN configuration is loaded as for run (defaults < --config < environment < --set); the channel "
                    + "count is set per dataset. Each learner's rows take rnn.model.hidden's default for that "
                    + "learner unless it is given (the plain RNN's, the --tuned and --horizon rows: rnn.learner=rnn's; "
                    + "the learner's: rnn.learner=hybrid's), whatever rnn.learner says. The learner takes its cell, "
                    + "hidden sizes, TBPTT window and seed from it and its own learning rate (0.003) and loss steps "
                    + "(newest).",
            "MASE is the MAE over the MAE of persistence on the same scored readings (the in-sample one-step "
                    + "naive scale), per key and channel, then averaged; persistence scores 1 by construction."},
        footer = {"", "Exit codes: 0 done, 1 failed, 2 invalid configuration, options or input.", "", "Example:",
            "  rnn-streams accuracy --ett ../shared/data/ett/ETTh1.csv --skab ../shared/data/skab "
                    + "--output target/accuracy/accuracy.md"})
public final class AccuracyCommand implements Callable<Integer> {
    /** Where ETTh1 is looked for unless --ett says otherwise (relative to the working directory). */
    public static final String DEFAULT_ETT = "../shared/data/ett/ETTh1.csv";
    /** Where SKAB is looked for unless --skab says otherwise (relative to the working directory). */
    public static final String DEFAULT_SKAB = "../shared/data/skab";
    /** Where the tables are written unless --output says otherwise. */
    public static final String DEFAULT_OUTPUT = "target/accuracy/accuracy.md";

    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Mixin
    private ConfigOptions configOptions;

    @Option(names = "--ett", paramLabel = "FILE", defaultValue = DEFAULT_ETT,
            description = "The ETTh1 CSV (not in the repository: CC BY-ND). Default: ${DEFAULT-VALUE}.")
    private Path ett;

    @Option(names = "--no-ett", description = "Leave ETTh1 out: generated data only.")
    private boolean noEtt;

    @Option(names = "--ett-rows", paramLabel = "N", defaultValue = "0",
            description = "Use only the first N rows of ETTh1 (0 = all; a cap is stated in the captions). "
                    + "Default: ${DEFAULT-VALUE}.")
    private int ettRows;

    @Option(names = "--skab", paramLabel = "DIR", defaultValue = DEFAULT_SKAB,
            description = "The SKAB data folder (anomaly-free/, valve1/, valve2/, other/; not in the repository: "
                    + "GPL v3). Default: ${DEFAULT-VALUE}.")
    private Path skab;

    @Option(names = "--no-skab", description = "Leave SKAB out.")
    private boolean noSkab;

    @Option(names = "--no-demo", description = "Leave the demo data set out.")
    private boolean noDemo;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "" + AccuracyOptions.DEFAULT_KEYS,
            description = "Keys per generated dataset. Default: ${DEFAULT-VALUE}.")
    private int keys;

    @Option(names = "--length", paramLabel = "N", defaultValue = "" + AccuracyOptions.DEFAULT_LENGTH,
            description = "Readings per generated key. Default: ${DEFAULT-VALUE}.")
    private int length;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "" + AccuracyOptions.DEFAULT_SEED,
            description = "Seed of the generated data. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--ar-order", paramLabel = "P", defaultValue = "8",
            description = "Order p of the AR baseline. Default: ${DEFAULT-VALUE}.")
    private int arOrder;

    @Option(names = "--tuned", paramLabel = "KEY=VALUE", description = "A setting of extra 'tuned' RNN rows "
            + "(repeatable), applied over the defaults and --config, under --set; e.g. --tuned "
            + "rnn.train.learning-rate=0.01. Without it there are no tuned rows.")
    private List<String> tuned = new ArrayList<>();

    @Option(names = "--no-rnn", description = "Leave out the plain RNN's rows (the stream's learner today); the "
            + "learner and its ablation stay.")
    private boolean noRnn;

    @Option(names = "--learner-variant", paramLabel = "SPEC", description = "An extra learner row (repeatable): "
            + "its defaults with some of scope=key|shared, k1=N, lr-scale=X, hidden=H separated by ';', e.g. "
            + "--learner-variant 'k1=1;lr-scale=3'.")
    private List<String> learnerVariants = new ArrayList<>();

    @Option(names = "--horizon", paramLabel = "N", defaultValue = "0",
            description = "Instead of the one-step tables: MASE at every horizon h = 1..N of persistence, AR and "
                    + "Holt-Winters iterated, the RNN's recursive rollout and the encoder-decoder (seq2seq) "
                    + "trained on the next N readings, all per key. 0: the one-step run. Default: ${DEFAULT-VALUE}.")
    private int horizon;

    @Option(names = "--dataset", paramLabel = "TEXT", description = "Keep only the datasets whose name contains "
            + "TEXT (repeatable: any of them), e.g. --dataset 'seven channels as one'.")
    private List<String> datasetFilters = new ArrayList<>();

    @Option(names = "--method", paramLabel = "TEXT", description = "With --horizon: keep only the encoder-decoder "
            + "rows whose name contains TEXT (repeatable: any of them), e.g. --method 'scope shared'; the baselines "
            + "and the recursive rollout stay.")
    private List<String> methodFilters = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "Runs in parallel (results do not depend on "
            + "it). Default: the available processors.")
    private Integer threads;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = DEFAULT_OUTPUT,
            description = "Where the markdown is written. Default: ${DEFAULT-VALUE}.")
    private Path output;

    public AccuracyCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            AppConfig appConfig = configOptions.load(environment, err);
            // each learner's rows at its own default rnn.model.hidden (the plain RNN's 32, the hybrid's 16)
            LearnerConfig rnnConfig = appConfig.learnerConfig(LearnerChoice.Kind.RNN);
            LearnerConfig hybridConfig = appConfig.learnerConfig(LearnerChoice.Kind.HYBRID);
            LearnerConfig tunedConfig = tuned.isEmpty() ? null
                    : configOptions.load(environment, tuned).learnerConfig(LearnerChoice.Kind.RNN);
            AccuracyOptions options = new AccuracyOptions(keys, length, seed, noEtt ? null : ett, ettRows,
                    noSkab ? null : skab, !noDemo, arOrder,
                    threads == null ? Runtime.getRuntime().availableProcessors() : threads, tuned, !noRnn,
                    learnerVariants);
            Accuracy accuracy = new Accuracy(rnnConfig, hybridConfig, appConfig.streamSettings().modelCacheSize(),
                    tunedConfig, String.join(", ", tuned), options);
            long start = System.nanoTime();
            List<Dataset> datasets = selected(accuracy.datasets());
            if (horizon != 0) {
                HorizonAccuracy run = new HorizonAccuracy(rnnConfig, horizon, arOrder, options.threads(),
                        methodFilters);
                List<HorizonAccuracy.Table> tables = run.run(datasets);
                double seconds = (System.nanoTime() - start) / 1e9;
                HorizonReport report = new HorizonReport(horizonHeader(rnnConfig, seconds), tables);
                MarkdownReport.publish(report.markdown(), output, "accuracy", out, err);
                return 0;
            }
            List<AccuracyReport.Table> tables = accuracy.run(datasets);
            double seconds = (System.nanoTime() - start) / 1e9;
            AccuracyReport report = new AccuracyReport(header(rnnConfig, hybridConfig, tunedConfig, options,
                    seconds), tables);
            String markdown = report.markdown();
            MarkdownReport.publish(markdown, output, "accuracy", out, err);
            return 0;
        } catch (ConfigException | IllegalArgumentException | AccuracyException e) {
            err.println("rnn-streams: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("rnn-streams: accuracy interrupted");
            return 1;
        } catch (IOException e) {
            err.println("rnn-streams: cannot write " + output + ": " + e);
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The datasets whose name contains one of --dataset's texts (all without it); none left is an error. */
    private List<Dataset> selected(List<Dataset> all) {
        if (datasetFilters.isEmpty()) {
            return all;
        }
        List<Dataset> kept = all.stream().filter(d -> datasetFilters.stream().anyMatch(f -> d.name().contains(f)))
                .toList();
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("--dataset " + datasetFilters + " matches none of "
                    + all.stream().map(Dataset::name).toList());
        }
        return kept;
    }

    private List<String> horizonHeader(LearnerConfig base, double seconds) {
        List<String> lines = new ArrayList<>();
        lines.add("Command: `rnn-streams" + (spec.commandLine().getParseResult() == null ? " accuracy"
                : " " + String.join(" ", spec.commandLine().getParseResult().originalArgs())) + "`");
        lines.add("");
        lines.add("- Forecasts of the next " + horizon + " readings, prequential: reading t is scored at horizon h "
                + "against the forecast made at reading t-h, before readings t-h+1..t were seen; every horizon on "
                + "the same readings (t >= " + horizon + " of each key). Every method is per key, but the rows "
                + "'scope shared': one encoder-decoder for all the dataset's keys (each key its own state, window "
                + "and normaliser).");
        lines.add("- MASE at horizon h = MAE at h / MAE of one-step persistence |x(t) - x(t-1)| on the same "
                + "readings, per key and channel, then averaged: persistence's h-step forecast is not 1 beyond h = 1.");
        lines.add("- AR(" + arOrder + ") by RLS iterated on its own forecasts (its guards at every step); "
                + "Holt-Winters: the recently best of its 27 (9) candidates, damped-trend h-step forecast.");
        lines.add("- RNN: " + base + ", channel count set per dataset. Recursive rollout: the one-step model fed "
                + "its own outputs (forecast(n)). Encoder-decoder: the same settings, a decoder with its own "
                + "weights generating " + horizon + " steps from the encoder's state, trained on the realised next "
                + horizon + " readings held in a window of k2 + " + horizon + " readings.");
        lines.add(String.format(java.util.Locale.ROOT, "- %.0f s wall in all.", seconds));
        return lines;
    }

    private List<String> header(LearnerConfig base, LearnerConfig learnerBase, LearnerConfig tunedConfig,
                                AccuracyOptions options, double seconds) {
        List<String> lines = new ArrayList<>();
        lines.add("Command: `rnn-streams" + (spec.commandLine().getParseResult() == null ? " accuracy"
                : " " + String.join(" ", spec.commandLine().getParseResult().originalArgs())) + "`");
        lines.add("");
        lines.add("- One-step forecasts, prequential (each reading is forecast before any method has seen it, "
                + "then learned from); a key's first reading is not scored. Keys are interleaved in time order.");
        lines.add("- MAE and RMSE in the data's units, pooled over keys and channels. MASE = MAE / MAE of "
                + "persistence on the same scored readings (in-sample one-step naive scale), per key and channel, "
                + "then averaged: persistence is 1 by construction, below 1 beats it.");
        lines.add("- Seasonal persistence forecasts reading t+1 as reading t+1-m, persistence until a key has m "
                + "readings. AR(" + options.arOrder() + ") per key and channel by recursive least squares "
                + "(intercept, forgetting factor 0.999, prior centred on persistence and scaled to the series' "
                + "variance, forecasts clamped to 3x the largest step seen, persistence while its recent error "
                + "exceeds 2x persistence's). Holt-Winters: additive, damped trend, the recently best of 27 "
                + "parameter sets (9 without a period) forecasting. Classical combination: persistence, seasonal "
                + "persistence, AR and Holt-Winters weighted by recent mean squared error^-2.");
        lines.add("- RNN: " + base + "; channel count set per dataset; run through the topology's per-reading "
                + "code (KeyedForecaster), models in memory.");
        lines.add("- Learner (HybridForecaster): the classical combination per key as its linear path, plus one "
                + "recurrent core per task (scope shared; " + learnerBase.network().cellType() + ", hidden sizes "
                + java.util.Arrays.toString(learnerBase.network().hiddenSizes()) + ") reading each key's "
                + "standardised reading, the linear "
                + "path's last error and its members' forecasts, learning the linear path's next error (TBPTT, "
                + "Huber loss of width 1/2 in units of the error's spread on the newest pairs, Adam 0.003), its "
                + "correction weighted by a gain fitted online per key and channel (of 0, 1/4, .., 1 the one of "
                + "least recent absolute error), forecasts moved to a quantised channel's lattice while that helps "
                + "(a level 0.4 quanta away or more is taken). Ablation: the same without the recurrent part (= the "
                + "classical combination, snapped).");
        if (tunedConfig != null) {
            lines.add("- Tuned rows: " + tunedConfig + " (settings " + String.join(", ", options.tuned()) + ").");
        }
        lines.add(String.format(java.util.Locale.ROOT, "- Wall time %.0f s on %d threads, %d processors, Java %s. "
                        + "The seconds column is one run's wall time, under whatever else the machine was doing.",
                seconds, options.threads(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));
        return lines;
    }
}
