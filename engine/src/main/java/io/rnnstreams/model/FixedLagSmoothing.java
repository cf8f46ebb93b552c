package io.rnnstreams.model;

import java.util.Arrays;

/**
 * Online fixed-lag smoothing, one reading at a time: at reading {@code t}, after the smoother has trained on the
 * window (every {@code k1} pushes, supervision of step {@code m} arriving with reading {@code m + L}), it judges
 * reading {@code m = t - L} from the forward state before it and the backward pass over its {@code L} successors
 * ({@link FixedLagSmoother#reconstruct}), then advances the forward state with reading {@code t}.
 *
 * <p>The output for reading {@code m} is known only at reading {@code m + L}: that delay is the lag's cost. Stateless
 * apart from scratch arrays. Not thread-safe.
 */
public final class FixedLagSmoothing {
    /** The window keeps no targets: a step's target is the step's own reading. */
    private static final double[] NO_TARGET = new double[0];

    private final SmootherConfig config;
    private final int channels;
    private final int lag;
    private final double[] input;
    private final double[] output;
    private final double[][] successors;

    /**
     * The smoother's judgement of one earlier reading.
     *
     * @param reading  the judged reading's index in the sequence ({@code t - L})
     * @param value    the smoothed (reconstructed, de-normalised) value of that reading, from both sides of it
     * @param residual that reading as it came minus {@code value}
     */
    public record Smoothed(long reading, double[] value, double[] residual) {
    }

    public FixedLagSmoothing(SmootherConfig config) {
        this.config = config;
        this.channels = config.channels();
        this.lag = config.lag();
        this.input = new double[channels];
        this.output = new double[channels];
        this.successors = new double[lag][];
    }

    /**
     * Observes reading {@code t} of {@code state}, possibly trains {@code model}, and judges reading {@code t - L}.
     *
     * @return the judgement of reading {@code t - L}, or null while {@code t < L}
     * @throws IllegalArgumentException if the reading has the wrong length or a non-finite value; nothing changes
     */
    public Smoothed observe(SmootherModel model, SmootherState state, double[] reading) {
        if (reading.length != channels) {
            throw new IllegalArgumentException("reading has " + reading.length + " channels, expected " + channels);
        }
        for (double v : reading) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("a reading value is not finite: " + Arrays.toString(reading));
            }
        }
        boolean normalise = config.learner().normaliseInputs();
        Readings.toInput(reading, normalise, state.normaliser, input);
        TbpttWindow window = state.window;
        if (window.push(input, NO_TARGET)) {
            model.train(window);
        }
        long t = state.readings;
        int ring = lag + 1;
        int slot = (int) (t % ring);
        FixedLagSmoother network = model.network();
        Smoothed smoothed = null;
        if (t >= lag) {
            long m = t - lag;
            double[] before = m == 0 ? new double[state.forwardState.length] : state.pastStates[slot]; // f_{m-1}
            int count = window.count();
            for (int j = 0; j < lag; j++) {
                successors[j] = window.inputs[(window.head() + count - lag + j) % window.k2()];
            }
            network.reconstruct(before, successors, output);
            double[] value = new double[channels];
            if (normalise) {
                state.normaliser.denormalise(output, value);
            } else {
                System.arraycopy(output, 0, value, 0, channels);
            }
            double[] judged = state.pastReadings[(int) (m % ring)];
            if (!Model.allFinite(value)) {
                System.arraycopy(judged, 0, value, 0, channels);
            }
            double[] residual = new double[channels];
            for (int i = 0; i < channels; i++) {
                residual[i] = judged[i] - value[i];
            }
            smoothed = new Smoothed(m, value, residual);
        }
        network.advance(state.forwardState, input);
        if (!Model.allFinite(state.forwardState)) {
            Arrays.fill(state.forwardState, 0.0);
        }
        System.arraycopy(state.forwardState, 0, state.pastStates[slot], 0, state.forwardState.length);
        System.arraycopy(reading, 0, state.pastReadings[slot], 0, channels);
        state.readings++;
        return smoothed;
    }
}
