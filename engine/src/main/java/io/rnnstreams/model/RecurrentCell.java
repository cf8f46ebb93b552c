package io.rnnstreams.model;

/**
 * The gate equations of one recurrent cell type, without its two affine maps.
 *
 * <p>A {@link RecurrentLayer} of hidden size {@code H} with {@code G = gates()} gates computes the
 * pre-activations {@code ax = Wx x + bx} and {@code ah = Wh h_prev (+ bh)}, both of length
 * {@code G*H} (gate {@code g} occupies rows {@code [g*H, (g+1)*H)}), and hands them to the cell, which
 * turns them into the next state. Backward, the cell turns the gradient of the next state into the
 * gradients of {@code ax} and {@code ah} (from which the layer forms the weight gradients and
 * {@code Wh^T gh}) plus the part of the previous state's gradient that bypasses {@code Wh}.
 *
 * <p>A state is {@code stateSize(H)} doubles whose first {@code H} entries are the output {@code h}
 * (an LSTM appends its cell {@code c}). Implementations are stateless and thread-safe.
 */
public interface RecurrentCell {

    /** Number of gate blocks {@code G} stacked in {@code Wx}, {@code Wh} and the biases. */
    int gates();

    /** Length of the recurrent state of a layer with {@code hidden} units. */
    int stateSize(int hidden);

    /** Doubles the forward pass keeps per step for the backward pass. */
    int cacheSize(int hidden);

    /** Whether {@code ah} carries its own bias {@code bh} (GRU: the reset gate multiplies it). */
    boolean hasRecurrentBias();

    /** Sets the initial input bias {@code bx} (length {@code G*H}); zeros unless the cell says otherwise. */
    default void initBias(double[] bx, int hidden) {
    }

    /**
     * One step forward.
     *
     * @param ax    {@code Wx x + bx}, length {@code G*H}; may be overwritten
     * @param ah    {@code Wh h_prev (+ bh)}, length {@code G*H}; may be overwritten
     * @param prev  previous state, length {@code stateSize(H)}; read only
     * @param next  receives the next state, length {@code stateSize(H)}
     * @param cache receives what {@link #backward} needs, length {@code cacheSize(H)}
     */
    void forward(int hidden, double[] ax, double[] ah, double[] prev, double[] next, double[] cache);

    /**
     * The exact derivative of {@link #forward}.
     *
     * @param prev  the state {@code forward} read
     * @param next  the state {@code forward} wrote
     * @param cache what {@code forward} wrote
     * @param dNext dL/d next, length {@code stateSize(H)}; read only
     * @param gx    receives dL/d ax, length {@code G*H}
     * @param gh    receives dL/d ah, length {@code G*H}
     * @param dPrev receives the part of dL/d prev that does not flow through {@code Wh} (the layer adds
     *              {@code Wh^T gh} to its first {@code H} entries), length {@code stateSize(H)}
     */
    void backward(int hidden, double[] prev, double[] next, double[] cache, double[] dNext,
                  double[] gx, double[] gh, double[] dPrev);
}
