package io.rnnstreams.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The weights of the encoder-decoder forecaster (Sutskever et al. 2014, "Sequence to Sequence Learning with
 * Neural Networks"; Cho et al. 2014): an <b>encoder</b> stack that reads the readings one by one into a state,
 * and a <b>decoder</b> stack with its own weights and linear head that generates {@code N} outputs from that
 * state.
 *
 * <p>Both are {@link Network}s of the same layer sizes and cell (the decoder's seed is the encoder's + 1). The
 * encoder's head is not used and not trained: its parameters are left out of {@link #parameters()}. Decoding
 * from encoder state {@code s_t} after input {@code x_t}: the decoder's state starts at {@code s_t} (every layer)
 * and at each of its {@code N} steps reads {@code x_t} again (the context vector repeated, as the
 * "RepeatVector" encoder-decoder does; with {@link Seq2SeqConfig#lagInputs} also {@code x_{t+h-N}}), its head giving {@code o_{t,h} = c + V h^dec_h}, {@code h = 1..N}. The
 * decoder does not read its own outputs back, so an error at one horizon does not feed the next.
 *
 * <p>Not thread-safe (scratch arrays).
 */
public final class EncoderDecoder {
    private final Seq2SeqConfig config;
    private final Network encoder;
    private final Network decoder;
    private final List<Parameter> parameters;
    private final int parameterCount;
    private final double[] discard;
    private final double[] decoderInput;

    public EncoderDecoder(Seq2SeqConfig config) {
        this(config, true);
    }

    /**
     * @param seeded whether to run the seeded initialisation (as {@link Network}'s: O(G H^3) for the orthogonal
     *               recurrent blocks); false leaves every weight 0, for weights read right away
     *               ({@link #readParameters}, {@link EncoderDecoderModel#EncoderDecoderModel(Seq2SeqConfig, ModelSnapshot)})
     */
    EncoderDecoder(Seq2SeqConfig config, boolean seeded) {
        this.config = config;
        NetworkConfig network = config.network();
        this.encoder = new Network(network, seeded);
        this.decoder = new Network(network.toBuilder().seed(network.seed() + 1).inputSize(config.decoderInputs())
                .outputSize(network.outputSize()).build(), seeded);
        if (seeded && config.learner().residual()) {
            decoder.zeroHead(); // a fresh residual model forecasts persistence at every horizon
        }
        List<Parameter> ps = new ArrayList<>(encoder.layerParameters());
        ps.addAll(decoder.parameters());
        this.parameters = Collections.unmodifiableList(ps);
        this.parameterCount = Parameters.count(ps);
        this.discard = new double[network.outputSize()];
        this.decoderInput = new double[config.decoderInputs()];
    }

    public Seq2SeqConfig config() {
        return config;
    }

    Network encoder() {
        return encoder;
    }

    Network decoder() {
        return decoder;
    }

    /** The encoder's layers' Wx, Wh, bx(, bh), then the decoder's, then the decoder head's V, c. */
    public List<Parameter> parameters() {
        return parameters;
    }

    public int parameterCount() {
        return parameterCount;
    }

    /** Doubles in the encoder's (and decoder's) flat recurrent state. */
    public int stateSize() {
        return encoder.stateSize();
    }

    /** Advances the encoder {@code state} (flat) by one input {@code x} ({@code D}) in place. */
    public void encode(double[] state, double[] x) {
        encoder.step(state, x, discard);
    }

    /**
     * The decoder's {@code out.length} outputs from encoder state {@code state} with context input {@code x};
     * {@code state} is not changed. {@code out[h-1]} receives {@code o_{t,h}} ({@code D} entries).
     *
     * @param lagged  with {@link Seq2SeqConfig#lagInputs}, {@code lagged[h-1]} is {@code x_{t+h-N}}; else ignored
     * @param scratch a flat state array of {@link #stateSize()} entries, overwritten
     */
    public void decode(double[] state, double[] x, double[][] lagged, double[] scratch, double[][] out) {
        System.arraycopy(state, 0, scratch, 0, state.length);
        int d = x.length;
        for (int h = 0; h < out.length; h++) {
            double[] in = x;
            if (config.lagInputs()) {
                System.arraycopy(x, 0, decoderInput, 0, d);
                System.arraycopy(lagged[h], 0, decoderInput, d, d);
                in = decoderInput;
            }
            decoder.step(scratch, in, out[h]);
        }
    }

    /** Writes decoder step {@code h}'s input ({@code 1 <= h <= N}) from the context and the lagged reading. */
    static void writeDecoderInput(boolean lagInputs, double[] context, double[] lagged, double[] dst) {
        System.arraycopy(context, 0, dst, 0, context.length);
        if (lagInputs) {
            System.arraycopy(lagged, 0, dst, context.length, context.length);
        }
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
}
