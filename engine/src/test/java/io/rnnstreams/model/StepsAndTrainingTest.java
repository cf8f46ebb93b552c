package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Whether a training's forward pass recomputes what the per-reading steps computed, for the residual corrector with
 * {@code k1 = k2} (branch tput18o asked whether the training could reuse the steps' activations): the window is then
 * exactly the pairs stepped since the last training, under the same weights, from the same anchor, so the anchor the
 * training moves to (the recomputed state after the whole window) is the state the steps reached, bit for bit
 * ({@link Network#step} and {@link UnrolledStack} run the same layer code) — but only while the key's state is not
 * rounded to its stored form between readings. The hybrid learner rounds it after every reading
 * ({@link SequenceState#roundToStored}: the window's inputs and the recurrent state to half), and then the training
 * (which steps from half inputs without rounding between its steps) and the steps (which step from full-precision
 * inputs and a state rounded at every reading) never agree: reusing the steps' activations would change the numbers.
 */
class StepsAndTrainingTest {
    private static LearnerConfig config(CellType cell, int hidden) {
        return LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(5).hiddenSizes(hidden).cellType(cell).outputSize(1)
                        .loss(Loss.HUBER_HALF).lossSteps(LossSteps.NEWEST).seed(42).build())
                .k1(16).k2(16).optimizer(OptimizerConfig.adam(0.003)).clipping(GradientClipping.of(1.0, 0.0))
                .residual(true).auxiliaryInputs(4).build();
    }

    /** Per training after a warm-up: whether the new anchor equals, bit for bit, the state the steps had reached. */
    private static boolean[] anchorIsStepState(LearnerConfig config, boolean roundToStored) {
        Model model = new Model(config);
        SequenceState sequence = new SequenceState(config);
        Normaliser residuals = new Normaliser(1);
        ResidualCorrector corrector = new ResidualCorrector(config);
        double[] stepState = new double[sequence.hiddenState.length];
        boolean[] same = new boolean[40];
        int trainings = 0;
        for (int t = 0; trainings < same.length; t++) {
            double x = Math.sin(t * 0.05) + 0.1 * Math.sin(t * 1.7);
            double[] inputs = {x, 0.1 * Math.cos(t * 0.3), (0.01 * t) % 1, Math.sin(t * 0.01), -0.5 * x};
            double[] residual = t == 0 ? null : new double[] {0.05 * Math.sin(t * 0.9)};
            System.arraycopy(sequence.hiddenState, 0, stepState, 0, stepState.length);
            // the training happens before this reading's step: its window ends with the pair of the last step's input
            if (corrector.observe(model, sequence, residuals, inputs, residual).trained() && t > 64) {
                same[trainings++] = Arrays.equals(sequence.window.anchor, stepState);
            }
            if (roundToStored) {
                sequence.roundToStored(true);
            }
        }
        assertTrue(model.updates() > same.length, "the model trained");
        return same;
    }

    @Test
    void unroundedTheTrainingRecomputesTheStepsBitForBit() {
        for (LearnerConfig config : new LearnerConfig[] {config(CellType.GRU, 16), config(CellType.LSTM, 32),
            config(CellType.ELMAN, 8)}) {
            boolean[] all = new boolean[40];
            Arrays.fill(all, true);
            assertArrayEquals(all, anchorIsStepState(config, false), config.toString());
        }
    }

    @Test
    void roundedToTheStoredFormTheyNeverAgree() {
        boolean[] same = anchorIsStepState(config(CellType.GRU, 16), true);
        int agreeing = 0;
        for (boolean s : same) {
            agreeing += s ? 1 : 0;
        }
        assertEquals(0, agreeing);
    }
}
