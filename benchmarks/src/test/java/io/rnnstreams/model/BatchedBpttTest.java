package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.config.AppConfig;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link BatchedBptt}'s gradient is the sum of the B single-window gradients of {@link Bptt}, to 1e-12. */
class BatchedBpttTest {

    private static TbpttWindow[] windows(LearnerConfig config, Network network, int batch, long seed) {
        Random random = new Random(seed);
        TbpttWindow[] ws = new TbpttWindow[batch];
        for (int b = 0; b < batch; b++) {
            ws[b] = new TbpttWindow(config.k1(), config.k2(), config.network().inputSize(), config.targetSize(),
                    network.stateSize());
            int pushes = config.k2() + random.nextInt(config.k2());
            for (int p = 0; p < pushes; p++) {
                double[] x = new double[config.network().inputSize()];
                double[] y = new double[config.targetSize()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextGaussian();
                }
                for (int i = 0; i < y.length; i++) {
                    y[i] = 2 * random.nextGaussian();
                }
                ws[b].push(x, y);
            }
            for (int i = 0; i < ws[b].anchor.length; i++) {
                ws[b].anchor[i] = 0.3 * random.nextGaussian();
            }
        }
        return ws;
    }

    private static void check(int hidden, int batch) {
        LearnerConfig config = AppConfig.of(Map.of("rnn.learner", "hybrid", "rnn.model.scope", "shared",
                "rnn.model.hidden", Integer.toString(hidden))).streamSettings().modelConfig();
        Model model = new Model(config);
        Network network = model.network();
        // weights away from the fresh model's zero head, so every gradient term is exercised
        double[] params = new double[network.parameterCount()];
        network.writeParameters(params);
        Random random = new Random(7L);
        for (int i = 0; i < params.length; i++) {
            params[i] += 0.2 * random.nextGaussian();
        }
        network.readParameters(params);
        BatchedBptt batched = new BatchedBptt(model, batch);
        TbpttWindow[] ws = windows(config, network, batch, 18L + batch);
        int lossSteps = config.k1();

        batched.zeroGradients();
        double expectedLoss = batched.sumOfSingleWindowGradients(ws, lossSteps);
        double[] expected = batched.gradients();
        batched.zeroGradients();
        double loss = batched.lossAndGradient(ws, lossSteps);
        double[] actual = batched.gradients();

        assertEquals(expectedLoss, loss, 1e-12 * Math.max(1.0, Math.abs(expectedLoss)));
        double largest = 0.0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], 1e-12 * Math.max(1.0, Math.abs(expected[i])),
                    "gradient entry " + i + " at H = " + hidden + ", B = " + batch);
        }
        assertTrue(largest > 1e-3, "the gradient is not trivially zero: " + largest);
    }

    @Test
    void batchedGradientIsTheSumOfSingleWindowGradients() {
        for (int hidden : new int[] {16, 32}) {
            for (int batch : new int[] {1, 4, 16}) {
                check(hidden, batch);
            }
        }
    }
}
