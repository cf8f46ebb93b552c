package io.rnnstreams.accuracy;

import io.rnnstreams.eval.AnomalyScore;
import io.rnnstreams.eval.OnlineAr;
import io.rnnstreams.eval.detection.AnomalyDetector;
import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.learner.KeyedForecaster;
import io.rnnstreams.learner.ModelRepository;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Observation;
import io.rnnstreams.model.SequenceState;

/**
 * The detectors built on a forecaster, each run as one key of its own (scope {@code key}, model in memory,
 * through the topology's per-reading code {@link KeyedForecaster}):
 * <ul>
 *   <li>{@link #todaysScore}: the score every prediction carries today ({@link AnomalyScore} on the RNN's
 *       errors scaled by each channel's running standard deviation, as ForecastProcessor computes it);</li>
 *   <li>{@link #rnnDetector}: the RNN's errors and the readings through {@link AnomalyDetector};</li>
 *   <li>{@link #arDetector}: the same detector on the errors of an online AR(8) by RLS instead;</li>
 *   <li>{@link #hybridDetector}: the same detector on the errors of the hybrid learner ({@link HybridForecaster},
 *       {@code rnn.learner=hybrid}), as {@code ForecastProcessor} runs it.</li>
 * </ul>
 */
public final class LearnerDetectors {
    private LearnerDetectors() {
    }

    public static DetectorKind todaysScore(LearnerConfig base, int shortWindow, int longWindow) {
        return new DetectorKind("RNN, today's anomalyScore (" + shortWindow + "/" + longWindow + ")", 0.99,
                (corpus, run) -> {
                    Rnn rnn = new Rnn(base, corpus.channels());
                    AnomalyScore anomaly = new AnomalyScore(shortWindow, longWindow);
                    double[] state = new double[AnomalyScore.STATE_SIZE];
                    return reading -> {
                        double[] scales = rnn.scales();
                        Observation o = rnn.observe(reading);
                        return o.previousError() == null ? 0.0 : anomaly.update(state, o.previousError(), scales);
                    };
                });
    }

    /** A row of {@link AnomalyDetector}'s scores: its threshold, and its alarms escalating as the detector's do. */
    private static DetectorKind detectorKind(String name, DetectorConfig config, DetectorKind.Factory factory) {
        return new DetectorKind(name, config.threshold(), factory, AnomalyDetector.ESCALATION);
    }

    public static DetectorKind rnnDetector(String name, LearnerConfig base, DetectorConfig config) {
        return detectorKind(name, config, (corpus, run) -> {
            Rnn rnn = new Rnn(base, corpus.channels());
            AnomalyDetector detector = new AnomalyDetector(config, corpus.channels());
            double[] state = detector.newState();
            return new DetectorRunScorer() {
                @Override
                public double score(double[] reading) {
                    return take(detector.update(state, reading, rnn.observe(reading).previousError()));
                }
            };
        });
    }

    public static DetectorKind arDetector(String name, DetectorConfig config) {
        return detectorKind(name, config, (corpus, run) -> {
            OnlineAr ar = OnlineAr.defaults(corpus.channels());
            AnomalyDetector detector = new AnomalyDetector(config, corpus.channels());
            double[] state = detector.newState();
            return new DetectorRunScorer() {
                private double[] forecast;

                @Override
                public double score(double[] reading) {
                    double[] error = null;
                    if (forecast != null) {
                        error = new double[reading.length];
                        for (int c = 0; c < error.length; c++) {
                            error[c] = reading[c] - forecast[c];
                        }
                    }
                    forecast = ar.next(reading);
                    return take(detector.update(state, reading, error));
                }
            };
        });
    }

    /**
     * The hybrid learner's errors and the readings through {@link AnomalyDetector}: the learner the stream runs
     * with {@code rnn.learner=hybrid} (its network {@link HybridForecaster#networkConfig} of {@code base}, the
     * recurrent part on, trainings anchored), the run its own key with its own model (scope {@code key}); the
     * error is the reading minus the forecast made at the previous reading.
     *
     * @param period  the linear path's seasonal period ({@code rnn.hybrid.period}), 0 for none
     * @param arOrder the order of its AR ({@code rnn.hybrid.ar-order})
     */
    public static DetectorKind hybridDetector(String name, LearnerConfig base, int period, int arOrder,
                                              DetectorConfig config) {
        return detectorKind(name, config, (corpus, run) -> {
            LearnerConfig network = HybridForecaster.networkConfig(
                    Accuracy.forData(base, corpus.channels(), base.network().cellType()), corpus.channels(), period,
                    1.0);
            HybridForecaster hybrid = new HybridForecaster(ModelScope.KEY, network, period, arOrder, true,
                    HybridForecaster.ANCHORED, ModelRepository.inMemory(), 1);
            HybridForecaster.KeyState key = hybrid.newKey();
            AnomalyDetector detector = new AnomalyDetector(config, corpus.channels());
            double[] state = detector.newState();
            return new DetectorRunScorer() {
                @Override
                public double score(double[] reading) {
                    double[] forecast = key.lastForecast();
                    double[] error = null;
                    if (forecast != null) {
                        error = new double[reading.length];
                        for (int c = 0; c < error.length; c++) {
                            error[c] = reading[c] - forecast[c];
                        }
                    }
                    hybrid.observe(Rnn.KEY, key, reading);
                    return take(detector.update(state, reading, error));
                }
            };
        });
    }

    /** One key's RNN: its forecaster, sequence state and model version. */
    private static final class Rnn {
        private static final String KEY = "run";
        private final LearnerConfig config;
        private final KeyedForecaster forecaster;
        private final SequenceState sequence;
        private long version;

        Rnn(LearnerConfig base, int channels) {
            this.config = Accuracy.forData(base, channels, base.network().cellType());
            this.forecaster = new KeyedForecaster(ModelScope.KEY, config, ModelRepository.inMemory(), 1, null);
            this.sequence = new SequenceState(config);
        }

        /** Each channel's running standard deviation before the next reading (1 without normalisation). */
        double[] scales() {
            double[] s = new double[config.channels()];
            for (int i = 0; i < s.length; i++) {
                s[i] = config.normaliseInputs() ? sequence.normaliser().std(i) : 1.0;
            }
            return s;
        }

        Observation observe(double[] reading) {
            KeyedForecaster.Step step = forecaster.observe(KEY, version, sequence, reading);
            version = step.modelVersion();
            return step.observation();
        }
    }

    static String cell(CellType cell) {
        return Accuracy.cellName(cell);
    }
}
