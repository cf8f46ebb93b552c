package io.rnnstreams.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Stacked recurrent layers and a linear head: the weights, and one step forward.
 *
 * <p>The recurrent state of the whole stack is one flat array of {@link #stateSize()} doubles, layer 0
 * first, each layer's block laid out as its cell says ({@code h}, then {@code c} for an LSTM). The
 * output at a step is {@code o = c + V h_top}. Training over a window is {@link Bptt}'s job.
 *
 * <p>Not thread-safe: it owns scratch arrays. One instance per stream thread.
 */
public final class Network {
    private final NetworkConfig config;
    private final List<RecurrentLayer> layers;
    private final LinearHead head;
    private final List<Parameter> parameters;
    private final int[] stateOffsets;
    private final int stateSize;
    private final int parameterCount;

    // scratch for step()
    private final double[][] layerPrev;
    private final double[][] layerNext;
    private final double[][] ax;
    private final double[][] ah;
    private final double[][] cache;

    public Network(NetworkConfig config) {
        this(config, true);
    }

    /**
     * @param seeded whether to run the seeded initialisation ({@link Initializer}: Glorot input weights, orthogonal
     *               recurrent blocks, whose Gram-Schmidt costs O(G H^3)); false leaves every weight 0, for a network
     *               whose parameters are read right away ({@link #readParameters})
     */
    Network(NetworkConfig config, boolean seeded) {
        this.config = config;
        RecurrentCell cell = config.cellType().cell(config.activation());
        List<RecurrentLayer> ls = new ArrayList<>();
        int in = config.inputSize();
        for (int l = 0; l < config.depth(); l++) {
            RecurrentLayer layer = new RecurrentLayer("layer" + l, cell, in, config.hiddenSize(l));
            ls.add(layer);
            in = layer.hiddenSize();
        }
        this.layers = Collections.unmodifiableList(ls);
        this.head = new LinearHead(in, config.outputSize());

        List<Parameter> ps = new ArrayList<>(layerParameters());
        ps.addAll(head.parameters());
        this.parameters = Collections.unmodifiableList(ps);
        this.parameterCount = Parameters.count(ps);

        this.stateOffsets = new int[layers.size() + 1];
        for (int l = 0; l < layers.size(); l++) {
            stateOffsets[l + 1] = stateOffsets[l] + layers.get(l).stateSize();
        }
        this.stateSize = stateOffsets[layers.size()];

        int depth = layers.size();
        layerPrev = new double[depth][];
        layerNext = new double[depth][];
        ax = new double[depth][];
        ah = new double[depth][];
        cache = new double[depth][];
        for (int l = 0; l < depth; l++) {
            RecurrentLayer layer = layers.get(l);
            layerPrev[l] = new double[layer.stateSize()];
            layerNext[l] = new double[layer.stateSize()];
            ax[l] = new double[layer.gateRows()];
            ah[l] = new double[layer.gateRows()];
            cache[l] = new double[layer.cacheSize()];
        }
        if (seeded) {
            initialise();
        }
    }

    private void initialise() {
        Initializer init = new Initializer(config.seed());
        for (RecurrentLayer layer : layers) {
            init.glorotUniform(layer.wx, layer.hiddenSize());
            init.orthogonalBlocks(layer.wh);
            layer.cell().initBias(layer.bx.value[0], layer.hiddenSize());
        }
        init.glorotUniform(head.v, head.outputSize());
    }

    /**
     * Zeroes the head ({@code V} and {@code c}), so that the output is 0 whatever the state. For residual
     * forecasting: a fresh model then forecasts exactly persistence and learns only the correction. The
     * head's gradient {@code dV = do h^T} is non-zero from the first update on, after which gradients reach
     * the recurrent layers too.
     */
    void zeroHead() {
        for (Parameter p : head.parameters()) {
            for (double[] column : p.value) {
                java.util.Arrays.fill(column, 0.0);
            }
        }
    }

    public NetworkConfig config() {
        return config;
    }

    public List<RecurrentLayer> layers() {
        return layers;
    }

    public LinearHead head() {
        return head;
    }

    /** The recurrent layers' parameter tensors, each layer's Wx, Wh, bx(, bh): {@link #parameters()} without the head's. */
    List<Parameter> layerParameters() {
        List<Parameter> ps = new ArrayList<>();
        for (RecurrentLayer layer : layers) {
            ps.addAll(layer.parameters());
        }
        return ps;
    }

    /** Every parameter tensor, in a fixed order: each layer's Wx, Wh, bx(, bh), then V, c. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Total number of scalar parameters {@code P}. */
    public int parameterCount() {
        return parameterCount;
    }

    /** Doubles in the stack's flat recurrent state. */
    public int stateSize() {
        return stateSize;
    }

    /** Offset of layer {@code l}'s block in the flat state. */
    int stateOffset(int layer) {
        return stateOffsets[layer];
    }

    /**
     * Advances {@code state} (flat, {@link #stateSize()}) by one input {@code x} ({@code D}) in place and
     * writes the head output ({@code O}) to {@code out}.
     */
    public void step(double[] state, double[] x, double[] out) {
        double[] input = x;
        for (int l = 0; l < layers.size(); l++) {
            RecurrentLayer layer = layers.get(l);
            int n = layer.stateSize();
            System.arraycopy(state, stateOffsets[l], layerPrev[l], 0, n);
            layer.forward(input, layerPrev[l], layerNext[l], ax[l], ah[l], cache[l]);
            System.arraycopy(layerNext[l], 0, state, stateOffsets[l], n);
            input = layerNext[l];
        }
        head.forward(input, out);
    }

    /** The head output for the current {@code state} without advancing it: {@code c + V h_top}. */
    public void output(double[] state, double[] out) {
        // h_top is the first H entries of the top layer's block
        double[] top = layerPrev[layers.size() - 1];
        System.arraycopy(state, stateOffsets[layers.size() - 1], top, 0, top.length);
        head.forward(top, out);
    }

    /** Writes every parameter value, in {@link #parameters()} order, column by column. */
    public void writeParameters(double[] dst) {
        Parameters.writeValues(parameters, dst, parameterCount, "parameter array");
    }

    /** Reads every parameter value written by {@link #writeParameters}. */
    public void readParameters(double[] src) {
        Parameters.readValues(parameters, src, parameterCount, "parameter array");
    }

    /** Writes every accumulated gradient, in the order of {@link #writeParameters}. */
    public void writeGradients(double[] dst) {
        Parameters.writeGradients(parameters, dst, parameterCount, "gradient array");
    }

    void zeroGradients() {
        Parameters.zeroGradients(parameters);
    }

    /** Copies flat state {@code flat} (at least {@link #stateSize()} entries) into per-layer arrays. */
    void readFlat(double[] flat, double[][] perLayer) {
        for (int l = 0; l < perLayer.length; l++) {
            System.arraycopy(flat, stateOffsets[l], perLayer[l], 0, perLayer[l].length);
        }
    }

    /** Copies per-layer state arrays into flat {@code flat} (at least {@link #stateSize()} entries). */
    void writeFlat(double[][] perLayer, double[] flat) {
        for (int l = 0; l < perLayer.length; l++) {
            System.arraycopy(perLayer[l], 0, flat, stateOffsets[l], perLayer[l].length);
        }
    }

    static void requireLength(double[] a, int expected, String what) {
        if (a.length != expected) {
            throw new IllegalArgumentException(what + " has " + a.length + " entries, expected " + expected);
        }
    }
}
