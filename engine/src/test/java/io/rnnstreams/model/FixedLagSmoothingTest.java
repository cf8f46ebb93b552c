package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The smoother online: its output for reading t - L comes at reading t, bit-identically on a rerun and from a model
 * built from the seeded snapshot; it learns.
 */
class FixedLagSmoothingTest {
    private static SmootherConfig config(CellType cell, int lag) {
        return new SmootherConfig(LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(2).hiddenSizes(16).cellType(cell).seed(11).build())
                .k1(8).k2(16).optimizer(OptimizerConfig.adam(0.005)).build(), lag);
    }

    private static double[] reading(int t) {
        return new double[] {Math.sin(2 * Math.PI * t / 30), 50 + 3 * Math.cos(2 * Math.PI * t / 30)};
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void judgesReadingTMinusLAtReadingTAndTheSameBitsOnARerun(CellType cell) {
        SmootherConfig config = config(cell, 5);
        // the second built from the seeded snapshot (the seeded initialisation skipped): the same bits
        SmootherModel[] models = {new SmootherModel(config),
                new SmootherModel(config, new SmootherModel(config).exportState())};
        SmootherState[] states = {new SmootherState(config), new SmootherState(config)};
        FixedLagSmoothing smoothing = new FixedLagSmoothing(config);
        for (int t = 0; t < 2_000; t++) {
            FixedLagSmoothing.Smoothed a = smoothing.observe(models[0], states[0], reading(t));
            FixedLagSmoothing.Smoothed b = smoothing.observe(models[1], states[1], reading(t));
            if (t < 5) {
                assertNull(a, "nothing to judge before L readings");
                continue;
            }
            assertEquals(t - 5, a.reading());
            for (int i = 0; i < 2; i++) {
                assertEquals(Double.doubleToRawLongBits(a.value()[i]), Double.doubleToRawLongBits(b.value()[i]));
                assertEquals(reading(t - 5)[i] - a.value()[i], a.residual()[i], 0.0);
            }
        }
        assertTrue(models[0].updates() > 200, "it trained: " + models[0].updates());
    }

    /**
     * A noisy sine with one spike: after learning, the smoothed values follow the sine (small residuals), and the
     * spike's residual is far above every other residual of its stretch.
     */
    @Test
    void itReconstructsAReadingFromBothSidesAndASpikeStandsOut() {
        SmootherConfig config = new SmootherConfig(LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(1).hiddenSizes(16).cellType(CellType.LSTM).seed(3).build())
                .k1(8).k2(16).optimizer(OptimizerConfig.adam(0.005)).build(), 4);
        SmootherModel model = new SmootherModel(config);
        SmootherState state = new SmootherState(config);
        FixedLagSmoothing smoothing = new FixedLagSmoothing(config);
        double[] x = Series.noisySine(8_000, 40, 0.02, 5);
        x[7_000] += 1.5;
        double sum = 0;
        int n = 0;
        double spike = 0;
        double otherMax = 0;
        for (int t = 0; t < x.length; t++) {
            FixedLagSmoothing.Smoothed s = smoothing.observe(model, state, new double[] {x[t]});
            if (s != null && s.reading() >= 6_000) {
                double r = Math.abs(s.residual()[0]);
                if (s.reading() == 7_000) {
                    spike = r;
                } else {
                    sum += r;
                    n++;
                    otherMax = Math.max(otherMax, r);
                }
            }
        }
        System.out.printf("smoother on a noisy sine (sigma 0.02), L = 4: mean |residual| %.4f, largest other %.4f, "
                + "spike of 1.5: %.4f%n", sum / n, otherMax, spike);
        assertTrue(sum / n < 0.06, "mean residual " + sum / n);
        assertTrue(spike > 3 * otherMax, "the spike stands out: " + spike + " vs " + otherMax);
    }
}
