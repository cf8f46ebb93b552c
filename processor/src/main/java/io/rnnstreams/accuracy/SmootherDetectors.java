package io.rnnstreams.accuracy;

import io.rnnstreams.eval.detection.AlarmGate;
import io.rnnstreams.eval.detection.AnomalyDetector;
import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.eval.detection.LaggedOnset;
import io.rnnstreams.eval.detection.LaggedScore;
import io.rnnstreams.eval.detection.LaggedSignals;
import io.rnnstreams.eval.detection.LaggedVerdict;
import io.rnnstreams.eval.detection.RunScorer;
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
 *   <li>{@link #twoSidedError}: one detector fed reading {@code t} (its level test on time) and the smoother's
 *       residual for reading {@code t - L} as the error (its error test two-sided, {@code L} readings late);</li>
 *   <li>{@link #confirmed}: the online verdict on reading {@code t - L} confirmed by the lagged one: at row
 *       {@code t}, {@code min(online(t - L), lagged(t))}: an alarm only where both flag reading {@code t - L};</li>
 *   <li>{@link #either}: the online verdict on reading {@code t} and the lagged one on {@code t - L} by
 *       Bonferroni, {@code 1 - min(1, 2 min(1 - online(t), 1 - lagged(t)))}: the online alarms on time, and the
 *       lagged test's own, {@code L} readings late.</li>
 *   <li>{@link #laggedScore}: the lagged score of the stream ({@link LaggedScore}): the online verdicts on reading
 *       {@code t - L} and its {@code L} successors (persistence, or a spike on its own), emitted at row {@code t};
 *       it uses no smoother; computed by {@link LaggedVerdict}, as the stream's {@code LaggedOutput.score};</li>
 *   <li>{@link #datedLaggedScore}: the same with onset dating ({@link LaggedOnset}): a change the online score
 *       flags at {@code t'} is dated back to its CUSUM onset, at most {@code L} readings before {@code t'}
 *       ({@link LaggedVerdict}, as the stream's {@code LaggedOutput.dated});</li>
 *   <li>{@link #atJudgedRow}: any of these placed at the row it judges, {@code t - L} (fed {@code L} rows ahead):
 *       for the per-row figures, whose question is which readings are anomalous, not when that was known.</li>
 * </ul>
 *
 * <p>Their alarms follow the online detector's rule ({@link AnomalyDetector#ESCALATION}: one per event, and a
 * re-alarm when the event gets markedly worse), so that the lagged and online rows count alarms alike. The rows that
 * run {@link AnomalyDetector} themselves ({@link #lagged}, {@link #hindsight}, {@link #twoSidedError}) also carry its
 * signals (a lone spike's alarm confirmed, the change re-alarm: {@link io.rnnstreams.eval.detection.AlarmGate}); the
 * lagged score carries the online detector's signals for the reading it judges, in its own terms
 * ({@link LaggedSignals}: a lone spike confirmed or refuted by its successor, known by then), and {@link #atJudgedRow}
 * its inner detector's; the combinations of two verdicts carry none (no single detector's signals apply to them).
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
                    return new DetectorRunScorer() {
                        @Override
                        public double score(double[] reading) {
                            FixedLagSmoothing.Smoothed s = smoother.observe(reading);
                            return take(s == null ? null : detector.update(state,
                                    run.values()[(int) s.reading()].clone(), s.residual()));
                        }
                    };
                }, AnomalyDetector.ESCALATION);
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
                    return new DetectorRunScorer() {
                        private int next;

                        @Override
                        public double score(double[] reading) {
                            int ahead = next++ + lag;
                            if (ahead >= values.length) {
                                return take(null); // the last L rows are never judged within the run
                            }
                            FixedLagSmoothing.Smoothed s = smoother.observe(values[ahead].clone());
                            return take(detector.update(state, values[(int) s.reading()].clone(), s.residual()));
                        }
                    };
                }, AnomalyDetector.ESCALATION);
    }

    public static DetectorKind twoSidedError(LearnerConfig base, int lag, DetectorConfig config) {
        return new DetectorKind("detector on reading t, error: the smoother's (L=" + lag + ") residual on t-L",
                config.threshold(), (corpus, run) -> {
                    Smoother smoother = new Smoother(base, corpus.channels(), lag);
                    AnomalyDetector detector = new AnomalyDetector(config, corpus.channels());
                    double[] state = detector.newState();
                    return new DetectorRunScorer() {
                        @Override
                        public double score(double[] reading) {
                            FixedLagSmoothing.Smoothed s = smoother.observe(reading.clone());
                            return take(detector.update(state, reading, s == null ? null : s.residual()));
                        }
                    };
                }, AnomalyDetector.ESCALATION);
    }

    /** {@code min(online(t - L), lagged(t))} at row {@code t}: the lagged test confirms or clears the online alarm. */
    public static DetectorKind confirmed(DetectorKind online, DetectorKind lagged, int lag) {
        return new DetectorKind("online verdict on t-L confirmed by the lagged one (L=" + lag + "), min",
                lagged.threshold(), (corpus, run) -> {
                    RunScorer first = online.factory().start(corpus, run);
                    RunScorer second = lagged.factory().start(corpus, run);
                    double[] past = new double[lag + 1];
                    return new RunScorer() {
                        private long t;

                        @Override
                        public double score(double[] reading) {
                            past[(int) (t % past.length)] = first.score(reading.clone());
                            double late = second.score(reading.clone());
                            double verdict = t < lag ? 0.0 : Math.min(past[(int) ((t - lag) % past.length)], late);
                            t++;
                            return verdict;
                        }
                    };
                }, lagged.escalation());
    }

    /** {@code 1 - min(1, 2 min(1 - online(t), 1 - lagged(t)))}: either verdict, Bonferroni over the two. */
    public static DetectorKind either(DetectorKind online, DetectorKind lagged, int lag) {
        return new DetectorKind("online verdict on t or lagged one on t-L (L=" + lag + "), Bonferroni",
                lagged.threshold(), (corpus, run) -> {
                    RunScorer first = online.factory().start(corpus, run);
                    RunScorer second = lagged.factory().start(corpus, run);
                    return reading -> {
                        double a = first.score(reading.clone());
                        double b = second.score(reading.clone());
                        return 1.0 - Math.min(1.0, 2.0 * Math.min(1.0 - a, 1.0 - b));
                    };
                }, lagged.escalation());
    }

    /**
     * The lagged score ({@link LaggedScore}) of reading {@code t - L} at row {@code t} (0 for the first {@code L}
     * rows): {@code online}'s evidence of rows {@code t - L .. t} ({@link RunScorer#evidence}: for the detector, its
     * scores before a standing event's ranking, {@link AnomalyDetector.Result#evidence}); its signals for the alarm
     * rule are the online ones of reading {@code t - L} as {@link LaggedSignals} reads them (a lone spike confirmed or
     * refuted by its successor), so that its alarms follow the online rule ({@code online}'s threshold and escalation).
     * Its scores are ranked by their standing event ({@link LaggedVerdict}: the gate over them, with {@code quiet},
     * the detector's quiet readings that the table's gate re-arms after), which moves no flag or alarm.
     */
    public static DetectorKind laggedScore(String name, DetectorKind online, int lag, int quiet) {
        return laggedScore(name, online, lag, quiet, false);
    }

    /**
     * {@link #laggedScore} with onset dating ({@link LaggedOnset#dated}): a reading that {@link LaggedOnset}'s CUSUM
     * dates into a change the online detector flagged at most {@code L} readings after it scores at least that
     * change's first flagged online score; the same signals.
     */
    public static DetectorKind datedLaggedScore(String name, DetectorKind online, int lag, int quiet) {
        return laggedScore(name, online, lag, quiet, true);
    }

    private static DetectorKind laggedScore(String name, DetectorKind online, int lag, int quiet, boolean dated) {
        return new DetectorKind(name, online.threshold(), (corpus, run) -> {
            RunScorer first = online.factory().start(corpus, run);
            // the verdict's gates are the table's rule (threshold, quiet, escalation), and the row's alarms at it are
            // the verdict's own: the dated scores are ranked so that a gate over them would raise others
            AlarmGate gate = new AlarmGate(online.threshold(), quiet, online.escalation());
            LaggedVerdict verdict = new LaggedVerdict(lag, gate);
            double[] state = verdict.newState();
            return new RunScorer() {
                private int signals;
                private boolean alarm;

                @Override
                public double score(double[] reading) {
                    double evidence = first.evidence(first.score(reading.clone()));
                    LaggedVerdict.Result judged = verdict.update(state, evidence, first.signals());
                    signals = judged.signals();
                    alarm = dated ? judged.datedAlarm() : judged.alarm();
                    double score = dated ? judged.dated() : judged.score();
                    return Double.isNaN(score) ? 0.0 : score;
                }

                @Override
                public int signals() {
                    return signals;
                }

                @Override
                public AlarmGate ownGate() {
                    return gate;
                }

                @Override
                public boolean alarm() {
                    return alarm;
                }
            };
        }, online.escalation());
    }

    /**
     * {@code emitted}, a detector whose row {@code t} holds its verdict on reading {@code t - L}, with each verdict
     * placed at the row it judges: at row {@code t} it is fed row {@code t + L} (the first {@code L} rows before the
     * first call; the run's last {@code L} rows score 0, never judged within it).
     */
    public static DetectorKind atJudgedRow(String name, DetectorKind emitted, int lag) {
        return new DetectorKind(name, emitted.threshold(), (corpus, run) -> {
            RunScorer inner = emitted.factory().start(corpus, run);
            double[][] values = run.values();
            for (int t = 0; t < Math.min(lag, values.length); t++) {
                inner.score(values[t].clone());
            }
            return new RunScorer() {
                private int next;

                private int signals;
                private boolean alarm;

                @Override
                public double score(double[] reading) {
                    int ahead = next++ + lag;
                    if (ahead >= values.length) {
                        signals = 0;
                        alarm = false;
                        return 0.0;
                    }
                    double score = inner.score(values[ahead].clone());
                    signals = inner.signals();
                    alarm = inner.alarm();
                    return score;
                }

                @Override
                public int signals() {
                    return signals;
                }

                @Override
                public AlarmGate ownGate() {
                    return inner.ownGate();
                }

                @Override
                public boolean alarm() {
                    return alarm;
                }
            };
        }, emitted.escalation());
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
