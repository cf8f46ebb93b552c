package io.rnnstreams.eval.detection;

import io.rnnstreams.eval.OnlineAr;
import java.util.SplittableRandom;

/**
 * The reference detectors every detection table prints beside the learner, each over one sensor's readings:
 * <ul>
 *   <li>{@link #none}: always 0 (NAB's null detector);</li>
 *   <li>{@link #random}: uniform in [0, 1), seeded;</li>
 *   <li>{@link #runningZ}: the largest {@code |x_c - mean_c| / std_c} over channels, mean and (population)
 *       standard deviation of all earlier readings;</li>
 *   <li>{@link #fittedZ}: the same with mean and standard deviation fitted once on the first {@code fitRows}
 *       readings (SKAB's protocol: 400), 0 on those;</li>
 *   <li>{@link #arResidualZ}: the largest {@code |r_c| / std(r_c)} over channels of the one-step residuals of
 *       an online AR(8) by RLS per channel ({@link OnlineAr#defaults}), std of all earlier residuals.</li>
 * </ul>
 * A standard deviation of 0 counts as 1e-12 (a constant channel's first change scores very high).
 */
public final class ReferenceScorers {
    private static final double MIN_STD = 1e-12;

    private ReferenceScorers() {
    }

    public static RunScorer none() {
        return reading -> 0.0;
    }

    public static RunScorer random(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return reading -> random.nextDouble();
    }

    public static RunScorer runningZ(int channels) {
        Moments moments = new Moments(channels);
        return reading -> {
            double score = moments.count > 1 ? moments.maxAbsZ(reading) : 0.0;
            moments.add(reading);
            return score;
        };
    }

    public static RunScorer fittedZ(int channels, int fitRows) {
        Moments moments = new Moments(channels);
        return reading -> {
            if (moments.count < fitRows) {
                moments.add(reading);
                return 0.0;
            }
            return moments.maxAbsZ(reading);
        };
    }

    public static RunScorer arResidualZ(int channels) {
        OnlineAr ar = OnlineAr.defaults(channels);
        Moments residuals = new Moments(channels);
        double[] residual = new double[channels];
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
    }

    /** Running mean and population variance per channel (Welford). */
    private static final class Moments {
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
