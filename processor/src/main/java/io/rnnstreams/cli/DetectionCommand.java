package io.rnnstreams.cli;

import io.rnnstreams.accuracy.AccuracyException;
import io.rnnstreams.accuracy.Detection;
import io.rnnstreams.accuracy.DetectionCorpus;
import io.rnnstreams.accuracy.DetectionData;
import io.rnnstreams.accuracy.DetectionReport;
import io.rnnstreams.accuracy.DetectorKind;
import io.rnnstreams.accuracy.LearnerDetectors;
import io.rnnstreams.accuracy.ReferenceDetectors;
import io.rnnstreams.accuracy.SkabData;
import io.rnnstreams.accuracy.SmootherDetectors;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.LearnerChoice;
import io.rnnstreams.eval.detection.AnomalyDetector;
import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.model.LearnerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn-streams detection}: the anomaly detectors (the learner's and the references) scored offline, in
 * process, on SKAB, SKAB's anomaly-free file, the demo's data, a generated NAB-style corpus and seeded Gaussian
 * noise, as markdown tables
 * printed and written to a file.
 *
 * <p>Exit codes: 0 done, 1 failed, 2 invalid configuration, options or input (e.g. SKAB missing).
 */
@Command(name = "detection", sortOptions = false,
        description = {"Score anomaly detectors offline: the RNN's detector (its forecast errors and the readings "
                + "through a calibrated likelihood with alarms), today's anomalyScore, and reference detectors "
                + "(null, seeded random, running z-score, z-score fitted on the unscored rows, AR(8) residual "
                + "z-score), each sensor run from its first reading, with NAB-style profiles, ROC/PR AUC, "
                + "per-row F1/FAR/MAR, event-level figures and calibration fractions.",
            "The RNN and detector configuration is loaded as for run (defaults < --config < environment < --set; "
                    + "rnn.anomaly.*); the channel count is set per dataset. Each learner's rows take "
                    + "rnn.model.hidden's default for that learner unless it is given (the plain RNN's and the "
                    + "smoother's: rnn.learner=rnn's; the hybrid learner's: rnn.learner=hybrid's), whatever "
                    + "rnn.learner says."},
        footer = {"", "Exit codes: 0 done, 1 failed, 2 invalid configuration, options or input.", "", "Example:",
            "  rnn-streams detection --skab ../shared/data/skab --output target/detection/detection.md"})
public final class DetectionCommand implements Callable<Integer> {
    /** Where SKAB is looked for unless --skab says otherwise. */
    public static final String DEFAULT_SKAB = "../shared/data/skab";
    /** Where the tables are written unless --output says otherwise. */
    public static final String DEFAULT_OUTPUT = "target/detection/detection.md";

    /** The windows of the anomaly score before the detector (rnn.anomaly.short-window, long-window then). */
    static final int OLD_SHORT_WINDOW = 10;
    static final int OLD_LONG_WINDOW = 500;

    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Mixin
    private ConfigOptions configOptions;

    @Option(names = "--skab", paramLabel = "DIR", defaultValue = DEFAULT_SKAB,
            description = "SKAB's data/ folder (not in the repository: GPL v3). Default: ${DEFAULT-VALUE}.")
    private Path skab;

    @Option(names = "--no-skab", description = "Leave SKAB out.")
    private boolean noSkab;

    @Option(names = "--demo-seed", paramLabel = "SEED", defaultValue = "7",
            description = "Seed of the demo's data (as rnn-streams demo --seed). Default: ${DEFAULT-VALUE}.")
    private long demoSeed;

    @Option(names = "--nab-style-series", paramLabel = "N", defaultValue = "40",
            description = "Series of the generated NAB-style corpus (NabStyleData: NAB's centred windows and "
                    + "probationary period; 0 = leave it out). Default: ${DEFAULT-VALUE}.")
    private int nabStyleSeries;

    @Option(names = "--nab-style-readings", paramLabel = "N", defaultValue = "4000",
            description = "Readings per series of the NAB-style corpus (at least 1000). Default: ${DEFAULT-VALUE}.")
    private int nabStyleReadings;

    @Option(names = "--nab-style-seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the NAB-style corpus. Default: ${DEFAULT-VALUE}.")
    private long nabStyleSeed;

    @Option(names = "--noise-readings", paramLabel = "N", defaultValue = "100000",
            description = "Readings of the Gaussian-noise calibration series (0 = leave it out). "
                    + "Default: ${DEFAULT-VALUE}.")
    private int noiseReadings;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the noise and of the random detector. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--smoothing-lag", paramLabel = "L", defaultValue = "0",
            description = "Add the fixed-lag rows with lag L (0: none): the stream's lagged score (LaggedScore on "
                    + "the stream learner's online scores) at the row it is emitted (t) and at the row it judges "
                    + "(t-L), and the same with onset dating (LaggedOnset: a change dated back to its CUSUM onset); "
                    + "the bidirectional smoother's residuals through the same detector, the verdict on "
                    + "reading t-L scored at t, and in hindsight at t-L; the detector with the smoother's residual "
                    + "as its error; the online verdict confirmed by the lagged one; either verdict; and the demo "
                    + "scored again with L more readings of horizon. "
                    + "Default: ${DEFAULT-VALUE}.")
    private int smoothingLag;

    @Option(names = "--threads", paramLabel = "N", description = "Runs in parallel (results do not depend on "
            + "it). Default: the available processors.")
    private Integer threads;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = DEFAULT_OUTPUT,
            description = "Where the markdown is written. Default: ${DEFAULT-VALUE}.")
    private Path output;

    public DetectionCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (nabStyleSeries < 0 || nabStyleSeries > 0 && nabStyleReadings < 1000) {
                throw new IllegalArgumentException("--nab-style-series must be >= 0 (got " + nabStyleSeries
                        + ") and --nab-style-readings >= 1000 (got " + nabStyleReadings + ")");
            }
            AppConfig appConfig = configOptions.load(environment, err);
            // each learner's rows at its own default rnn.model.hidden (the plain RNN's 32, the hybrid's 16)
            LearnerConfig learner = appConfig.learnerConfig(LearnerChoice.Kind.RNN);
            LearnerConfig hybrid = appConfig.learnerConfig(LearnerChoice.Kind.HYBRID);
            DetectorConfig detector = appConfig.streamSettings().anomaly();
            List<DetectorKind> detectors = new ArrayList<>(detectors(learner, hybrid,
                    appConfig.streamSettings().learnerChoice(), detector, seed));
            if (smoothingLag != 0) {
                LearnerChoice choice = appConfig.streamSettings().learnerChoice();
                DetectorKind stream = choice.hybrid()
                        ? LearnerDetectors.hybridDetector("hybrid learner + detector", hybrid, choice.period(),
                        choice.arOrder(), detector)
                        : LearnerDetectors.rnnDetector("RNN + detector (learner)", learner, detector);
                String l = " (L=" + smoothingLag + ")";
                DetectorKind score = SmootherDetectors.laggedScore("lagged score" + l + ", at t (emitted)", stream,
                        smoothingLag, detector.quiet());
                detectors.add(score);
                detectors.add(SmootherDetectors.atJudgedRow("lagged score" + l + ", at t-L (judged row)", score,
                        smoothingLag));
                DetectorKind dated = SmootherDetectors.datedLaggedScore("lagged score, onset dated" + l
                        + ", at t (emitted)", stream, smoothingLag, detector.quiet());
                detectors.add(dated);
                detectors.add(SmootherDetectors.atJudgedRow("lagged score, onset dated" + l + ", at t-L (judged row)",
                        dated, smoothingLag));
                detectors.add(SmootherDetectors.lagged(learner, smoothingLag, detector));
                detectors.add(SmootherDetectors.hindsight(learner, smoothingLag, detector));
                detectors.add(SmootherDetectors.twoSidedError(learner, smoothingLag, detector));
                DetectorKind online = LearnerDetectors.rnnDetector("RNN + detector (learner)", learner, detector);
                DetectorKind lagged = SmootherDetectors.lagged(learner, smoothingLag, detector);
                detectors.add(SmootherDetectors.confirmed(online, lagged, smoothingLag));
                detectors.add(SmootherDetectors.either(online, lagged, smoothingLag));
            }
            long start = System.nanoTime();
            List<DetectionCorpus> labelled = new ArrayList<>();
            List<DetectionCorpus> normal = new ArrayList<>();
            if (!noSkab) {
                SkabData data = SkabData.read(skab);
                labelled.add(DetectionData.skab(data));
                normal.add(DetectionData.skabAnomalyFree(data));
            }
            DetectionCorpus demo = DetectionData.demo(12, 3000, demoSeed);
            labelled.add(demo);
            if (smoothingLag != 0) {
                labelled.add(new DetectionCorpus(demo.name(), "the same " + demo.runs().size() + " sensors, in time: "
                        + "an alarm within L + 2 = " + (smoothingLag + 2) + " readings (the lag's delay added to "
                        + "the horizon of 2, so that a verdict emitted L readings late can count)", demo.channels(),
                        smoothingLag + 2, demo.runs()));
            }
            if (nabStyleSeries > 0) {
                labelled.add(DetectionData.nabStyle(nabStyleSeries, nabStyleReadings, nabStyleSeed));
            }
            if (noiseReadings > 0) {
                normal.add(DetectionData.noise(noiseReadings, seed));
            }
            List<DetectionCorpus> all = new ArrayList<>(labelled);
            all.addAll(normal);
            int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            List<List<Detection.Scores>> scores = Detection.run(all, detectors, n);
            double seconds = (System.nanoTime() - start) / 1e9;
            DetectionReport report = new DetectionReport(detector.quiet());
            StringBuilder md = new StringBuilder();
            md.append("Command: `rnn-streams");
            md.append(spec.commandLine().getParseResult() == null ? " detection"
                    : " " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            md.append("`\n\n");
            md.append("- RNN: ").append(learner).append("; channel count set per dataset; each run its own key.\n");
            md.append("- Hybrid learner's corrector: ").append(hybrid).append(".\n");
            md.append("- Detector: ").append(detector).append(".\n");
            md.append("- NAB: normalised (null 0, perfect 100), threshold swept over the corpus. AUCs and F1 on "
                    + "scored rows, per-row labels. Events in time: an alarm raised within the corpus's horizon of the "
                    + "onset; FA: alarms (re-armed after " + detector.quiet() + " quiet readings; the detector rows "
                    + "also re-alarm while an event's surprise -log10 p passes " + AnomalyDetector.ESCALATION
                    + " times its peak so far) on normal rows per 1,000 normal rows; SKAB's event columns include "
                    + "anomaly-free.csv.\n");
            md.append(String.format(Locale.ROOT, "- Wall time %.0f s on %d threads.%n%n", seconds, n));
            for (int i = 0; i < labelled.size(); i++) {
                List<Detection.Scores> extra = i == 0 && !noSkab ? scores.get(labelled.size()) : List.of();
                md.append(report.labelledTable(scores.get(i), extra)).append('\n');
            }
            for (int i = labelled.size(); i < all.size(); i++) {
                md.append(report.normalTable(scores.get(i))).append('\n');
            }
            MarkdownReport.publish(md, output, "detection", out, err);
            return 0;
        } catch (ConfigException | IllegalArgumentException | AccuracyException e) {
            err.println("rnn-streams: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("rnn-streams: detection interrupted");
            return 1;
        } catch (IOException e) {
            err.println("rnn-streams: cannot write " + output + ": " + e);
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The rows of every table, in order: the plain RNN's with {@code learner}, the hybrid learner's with
     * {@code hybrid} and {@code choice}'s period and AR order.
     */
    static List<DetectorKind> detectors(LearnerConfig learner, LearnerConfig hybrid, LearnerChoice choice,
                                        DetectorConfig detector, long seed) {
        return List.of(
                ReferenceDetectors.none(),
                ReferenceDetectors.random(seed),
                ReferenceDetectors.runningZ(),
                ReferenceDetectors.fittedZ(),
                ReferenceDetectors.arResidualZ(),
                LearnerDetectors.todaysScore(learner, OLD_SHORT_WINDOW, OLD_LONG_WINDOW),
                LearnerDetectors.arDetector("AR(8) errors + detector", detector),
                LearnerDetectors.rnnDetector("RNN + detector (learner)", learner, detector),
                LearnerDetectors.hybridDetector("hybrid learner + detector", hybrid, choice.period(), choice.arOrder(),
                        detector),
                LearnerDetectors.rnnDetector("RNN + detector, no quarantine", learner, detector.withQuarantine(false)));
    }
}
