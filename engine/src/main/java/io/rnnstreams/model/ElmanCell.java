package io.rnnstreams.model;

import java.util.Objects;

/**
 * Elman (simple) recurrent cell, one gate:
 *
 * <pre>
 *   h_t = act(Wx x_t + Wh h_{t-1} + b)
 * </pre>
 *
 * with {@code Wx: H x I}, {@code Wh: H x H}, {@code b: H}, and {@code act} one of tanh, sigmoid, relu.
 * State is {@code h} ({@code H} doubles). Backward, with {@code dh = dL/dh_t}:
 * {@code dz = dh * act'(z)} (element-wise, {@code act'} from the output), and the layer forms
 * {@code dWx += dz x^T}, {@code dWh += dz h_{t-1}^T}, {@code db += dz}, {@code dh_{t-1} = Wh^T dz},
 * {@code dx = Wx^T dz}.
 */
public final class ElmanCell implements RecurrentCell {
    private final Activation activation;

    public ElmanCell(Activation activation) {
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public int stateSize(int hidden) {
        return hidden;
    }

    @Override
    public int cacheSize(int hidden) {
        return 0;
    }

    @Override
    public boolean hasRecurrentBias() {
        return false;
    }

    @Override
    public void forward(int hidden, double[] ax, double[] ah, double[] prev, double[] next, double[] cache) {
        for (int i = 0; i < hidden; i++) {
            next[i] = activation.apply(ax[i] + ah[i]);
        }
    }

    @Override
    public void backward(int hidden, double[] prev, double[] next, double[] cache, double[] dNext,
                         double[] gx, double[] gh, double[] dPrev) {
        for (int i = 0; i < hidden; i++) {
            double dz = dNext[i] * activation.derivativeFromOutput(next[i]);
            gx[i] = dz;
            gh[i] = dz;
            dPrev[i] = 0.0;
        }
    }
}
