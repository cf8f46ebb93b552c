package io.rnnstreams.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The weights of the bidirectional fixed-lag smoother (a bidirectional RNN, Schuster and Paliwal 1997, cut to a
 * fixed lag so that it runs on a stream): a <b>forward</b> stack over the readings, a <b>backward</b> stack with its
 * own weights over the {@code L} readings that follow the judged one, newest first, and a linear head over both.
 *
 * <p>Judging reading {@code m = t - L} at reading {@code t}: the forward state {@code f_{m-1}} (after reading
 * {@code m - 1}: reading {@code m} itself is <i>masked</i>), the backward state {@code b_{m+1}} (from zero, over
 * {@code x_t, x_{t-1}, ..., x_{m+1}}), and {@code o_m = c + V [h^f_{m-1}; h^b_{m+1}]}, the reconstruction of the
 * standardised {@code x_m} from both sides of it. Both stacks are {@link Network}s of the configuration's layer
 * sizes and cell (the backward one seeded + 2); their own heads are not used and not trained.
 *
 * <p>Not thread-safe (scratch arrays).
 */
public final class FixedLagSmoother {
    private final SmootherConfig config;
    private final Network forward;
    private final Network backward;
    private final LinearHead head;
    private final List<Parameter> parameters;
    private final int parameterCount;
    private final int forwardTop;
    private final double[] discard;
    private final double[] joined;
    private final double[] backwardState;

    public FixedLagSmoother(SmootherConfig config) {
        this(config, true);
    }

    /**
     * @param seeded whether to run the seeded initialisation (as {@link Network}'s: O(G H^3) for the orthogonal
     *               recurrent blocks); false leaves every weight 0, for weights read right away
     *               ({@link SmootherModel#SmootherModel(SmootherConfig, ModelSnapshot)})
     */
    FixedLagSmoother(SmootherConfig config, boolean seeded) {
        this.config = config;
        NetworkConfig network = config.network();
        this.forward = new Network(network, seeded);
        this.backward = new Network(network.toBuilder().seed(network.seed() + 2).build(), seeded);
        int hf = network.hiddenSize(network.depth() - 1);
        this.forwardTop = hf;
        this.head = new LinearHead(2 * hf, network.outputSize());
        if (seeded) {
            new Initializer(network.seed() + 3).glorotUniform(head.v, head.outputSize());
        }
        List<Parameter> ps = new ArrayList<>(forward.layerParameters());
        ps.addAll(backward.layerParameters());
        ps.addAll(head.parameters());
        this.parameters = Collections.unmodifiableList(ps);
        this.parameterCount = Parameters.count(ps);
        this.discard = new double[network.outputSize()];
        this.joined = new double[2 * hf];
        this.backwardState = new double[backward.stateSize()];
    }

    public SmootherConfig config() {
        return config;
    }

    Network forward() {
        return forward;
    }

    Network backward() {
        return backward;
    }

    LinearHead head() {
        return head;
    }

    /** {@code H} of the top layer: the head reads {@code 2 H} values, forward first. */
    int topHidden() {
        return forwardTop;
    }

    /** The forward layers' Wx, Wh, bx(, bh), the backward layers', then the head's V, c. */
    public List<Parameter> parameters() {
        return parameters;
    }

    public int parameterCount() {
        return parameterCount;
    }

    /** Doubles in the forward (and backward) flat recurrent state. */
    public int stateSize() {
        return forward.stateSize();
    }

    /** Advances the forward {@code state} (flat) by one input {@code x} in place. */
    public void advance(double[] state, double[] x) {
        forward.step(state, x, discard);
    }

    /**
     * The reconstruction {@code o_m} of the reading between {@code forwardState} ({@code f_{m-1}}) and its
     * successors {@code successors[0..L)} ({@code x_{m+1} .. x_{m+L}}, oldest first), into {@code out}.
     */
    public void reconstruct(double[] forwardState, double[][] successors, double[] out) {
        java.util.Arrays.fill(backwardState, 0.0);
        for (int j = successors.length - 1; j >= 0; j--) {
            backward.step(backwardState, successors[j], discard);
        }
        int topF = forward.stateOffset(forward.layers().size() - 1);
        int topB = backward.stateOffset(backward.layers().size() - 1);
        System.arraycopy(forwardState, topF, joined, 0, forwardTop);
        System.arraycopy(backwardState, topB, joined, forwardTop, forwardTop);
        head.forward(joined, out);
    }

    public void writeParameters(double[] dst) {
        Parameters.writeValues(parameters, dst, parameterCount, "parameter array");
    }

    public void readParameters(double[] src) {
        Parameters.readValues(parameters, src, parameterCount, "parameter array");
    }

    public void writeGradients(double[] dst) {
        Parameters.writeGradients(parameters, dst, parameterCount, "gradient array");
    }

    void zeroGradients() {
        Parameters.zeroGradients(parameters);
    }
}
