package io.rnnstreams.accuracy;

import io.rnnstreams.eval.detection.AnomalyDetector;
import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.model.FixedLagSmoothing;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.SmootherConfig;
import io.rnnstreams.model.SmootherModel;
import io.rnnstreams.model.SmootherState;

/**
 * The lagged detectors built on the bidirectional fixed-lag smoother ({@link FixedLagSmoothing}), each run as one
 * key of its own, beside the online ones of {@link LearnerDetectors}: the same {@link AnomalyDetector} (same
 * configuration), fed reading {@code t - L} and the smoother's residual for it (that reading minus its
 * reconstruction from both sides) instead of reading {@code t} and the forecaster's error.
 *
 * <ul>
 *   <li>{@link #lagged}: the verdict on reading {@code t - L} is the score <b>at row t</b>, when it is known: what a
 *       stream can act on, the lag's delay included;</li>
 *   <li>{@link #hindsight}: the same verdict placed at row {@code t - L}, the row it judges (the smoother is fed
 *       the run's readings {@code L} rows ahead): not achievable online, it separates the judgement's quality
 *       from the delay's cost.</li>
 * </ul>
 */
public final class SmootherDetectors {
    private SmootherDetectors() {
    }

    public static DetectorKind lagged(LearnerConfig base, int lag, DetectorConfig config) {
        return new DetectorKind("smoother (L=" + lag + ") residuals + detector, score at t", config.threshold(),
                (corpus, run) -> {
                    Smoother smoother = new Smoother(base, corpus.channels(), lag);
                    AnomalyDetector detector = new AnomalyDetector(config, corpus.channels());
                    double[] state = detector.newState();
                    return reading -> {
                        FixedLagSmoothing.Smoothed s = smoother.observe(reading);
                        return s == null ? 0.0 : detector.update(state, run.values()[(int) s.reading()].clone(),
                                s.residual()).score();
                    };
                });
    }

    public static DetectorKind hindsight(LearnerConfig base, int lag, DetectorConfig config) {
        return new DetectorKind("smoother (L=" + lag + ") residuals + detector, score at t-L (hindsight)",
                config.threshold(), (corpus, run) -> {
                    Smoother smoother = new Smoother(base, corpus.channels(), lag);
                    AnomalyDetector detector = new AnomalyDetector(config, corpus.channels());
                    double[] state = detector.newState();
                    double[][] values = run.values();
                    for (int t = 0; t < Math.min(lag, values.length); t++) {
                        smoother.observe(values[t].clone());
                    }
                    return new io.rnnstreams.eval.detection.RunScorer() {
                        private int next;

                        @Override
                        public double score(double[] reading) {
                            int ahead = next++ + lag;
                            if (ahead >= values.length) {
                                return 0.0; // the last L rows are never judged within the run
                            }
                            FixedLagSmoothing.Smoothed s = smoother.observe(values[ahead].clone());
                            return detector.update(state, values[(int) s.reading()].clone(), s.residual()).score();
                        }
                    };
                });
    }

    /** One key's smoother. */
    private static final class Smoother {
        private final SmootherModel model;
        private final SmootherState state;
        private final FixedLagSmoothing smoothing;

        Smoother(LearnerConfig base, int channels, int lag) {
            SmootherConfig config = new SmootherConfig(Accuracy.forData(base, channels, base.network().cellType()), lag);
            this.model = new SmootherModel(config);
            this.state = new SmootherState(config);
            this.smoothing = new FixedLagSmoothing(config);
        }

        FixedLagSmoothing.Smoothed observe(double[] reading) {
            return smoothing.observe(model, state, reading);
        }
    }
}
