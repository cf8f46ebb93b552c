package io.rnnstreams.accuracy;

import io.rnnstreams.backtest.OnlineAr;
import java.util.SplittableRandom;

/**
 * The reference detectors every detection table prints beside the learner, each per run (one sensor):
 * <ul>
 *   <li>{@link #none}: always 0 (NAB's null detector);</li>
 *   <li>{@link #random}: uniform in [0, 1), seeded per run from the seed and the run's name;</li>
 *   <li>{@link #runningZ}: the largest {@code |x_c - mean_c| / std_c} over channels, mean and (population)
 *       standard deviation of all earlier readings of the run;</li>
 *   <li>{@link #fittedZ}: the same with mean and standard deviation fitted once on the run's unscored rows
 *       (SKAB's protocol: the first 400), 0 on those rows;</li>
 *   <li>{@link #arResidualZ}: the largest {@code |r_c| / std(r_c)} over channels of the one-step residuals of
 *       an online AR(8) by RLS per channel ({@link OnlineAr#defaults}), std of all earlier residuals.</li>
 * </ul>
 * A standard deviation of 0 counts as 1e-12 (a constant channel's first change scores very high).
 */
public final class ReferenceDetectors {
    private static final double MIN_STD = 1e-12;

    private ReferenceDetectors() {
    }

    public static DetectorKind none() {
        return new DetectorKind("null (always 0)", Double.NaN, (corpus, run) -> reading -> 0.0);
    }

    public static DetectorKind random(long seed) {
        return new DetectorKind("random (seed " + seed + ")", Double.NaN, (corpus, run) -> {
            SplittableRandom random = new SplittableRandom(seed * 31 + run.name().hashCode());
            return reading -> random.nextDouble();
        });
    }

    public static DetectorKind runningZ() {
        return new DetectorKind("running z-score (max over channels)", Double.NaN, (corpus, run) -> {
            Moments moments = new Moments(corpus.channels());
            return reading -> {
                double score = moments.count > 1 ? moments.maxAbsZ(reading) : 0.0;
                moments.add(reading);
                return score;
            };
        });
    }

    public static DetectorKind fittedZ() {
        return new DetectorKind("z-score fitted on the unscored rows", Double.NaN, (corpus, run) -> {
            Moments moments = new Moments(corpus.channels());
            int fit = run.firstScored();
            return reading -> {
                if (moments.count < fit) {
                    moments.add(reading);
                    return 0.0;
                }
                return moments.maxAbsZ(reading);
            };
        });
    }

    public static DetectorKind arResidualZ() {
        return new DetectorKind("AR(8)-by-RLS residual z-score", Double.NaN, (corpus, run) -> {
            OnlineAr ar = OnlineAr.defaults(corpus.channels());
            Moments residuals = new Moments(corpus.channels());
            double[] residual = new double[corpus.channels()];
            return new RunScorer() {
                private double[] forecast;

                @Override
                public double score(double[] reading) {
                    double score = 0.0;
                    if (forecast != null) {
                        for (int c = 0; c < residual.length; c++) {
                            residual[c] = reading[c] - forecast[c];
                        }
                        if (residuals.count > 1) {
                            score = residuals.maxAbsZ(residual);
                        }
                        residuals.add(residual);
                    }
                    forecast = ar.next(reading);
                    return score;
                }
            };
        });
    }

    /** Running mean and population variance per channel (Welford). */
    static final class Moments {
        long count;
        final double[] mean;
        final double[] m2;

        Moments(int channels) {
            mean = new double[channels];
            m2 = new double[channels];
        }

        void add(double[] x) {
            count++;
            for (int c = 0; c < x.length; c++) {
                double d = x[c] - mean[c];
                mean[c] += d / count;
                m2[c] += d * (x[c] - mean[c]);
            }
        }

        double maxAbsZ(double[] x) {
            double max = 0;
            for (int c = 0; c < x.length; c++) {
                double std = Math.max(Math.sqrt(m2[c] / count), MIN_STD);
                max = Math.max(max, Math.abs(x[c] - mean[c]) / std);
            }
            return max;
        }
    }
}
