package io.rnnstreams.model;

import java.util.Arrays;

/**
 * What the seq2seq forecaster remembers about one sequence between readings: the live encoder state, the
 * window of the last {@code k2 + N} normalised readings with its anchor ({@link TbpttWindow}, no targets: they
 * are the window's own later readings), the normaliser, the last normalised reading, the last {@code N}
 * forecasts, and the reading count. Fixed size: {@code O((k2 + N) D + S + N D)} doubles.
 */
public final class Seq2SeqState {
    final double[] hiddenState;
    final TbpttWindow window;
    final Normaliser normaliser;
    final double[] lastInput;
    boolean hasLastInput;
    /** {@code forecasts[h-1]}: the de-normalised forecast of the reading {@code h} steps after the last one. */
    final double[][] forecasts;
    /** The corrected forecaster's per-horizon base and gain ({@link Seq2SeqConfig#corrected()}), else null. */
    final HorizonCorrection correction;
    private final int correctionSize;
    long readings;

    public Seq2SeqState(Seq2SeqConfig config) {
        int stateSize = SequenceState.stateSize(config.network());
        int d = config.channels();
        this.hiddenState = new double[stateSize];
        this.window = new TbpttWindow(config.learner().k1(), config.windowCapacity(), d, 0, stateSize);
        this.normaliser = new Normaliser(d);
        this.lastInput = new double[d];
        this.forecasts = new double[config.horizon()][d];
        this.correction = config.corrected() ? new HorizonCorrection(config) : null;
        this.correctionSize = HorizonCorrection.size(config);
    }

    /** The corrected forecaster's per-horizon base and gain, or null when the configuration is not corrected. */
    public HorizonCorrection correction() {
        return correction;
    }

    /** Readings observed. */
    public long readings() {
        return readings;
    }

    /** A copy of the live encoder state. */
    public double[] hiddenState() {
        return hiddenState.clone();
    }

    public TbpttWindow window() {
        return window;
    }

    /** The online normaliser of the readings (its spreads scale the forecast errors). */
    public Normaliser normaliser() {
        return normaliser;
    }

    /**
     * The doubles this state keeps between readings: the encoder state and the anchor ({@code 2 S}), the
     * window's {@code (k2 + N + lead) D} readings, the normaliser's {@code 2 D}, the last input {@code D}, the
     * {@code N D} forecasts and, corrected, the {@link HorizonCorrection}'s {@link HorizonCorrection#size}.
     */
    public long storedDoubles() {
        int d = lastInput.length;
        return 2L * hiddenState.length + (long) window.k2() * d + 3L * d + (long) forecasts.length * d
                + correctionSize();
    }

    private int correctionSize() {
        return correctionSize;
    }

    /**
     * Forgets the encoder state, the window and the forecasts (and the corrected forecaster's pending corrections);
     * keeps the normaliser, the reading count and the corrected forecaster's member errors and gain (as the hybrid
     * learner keeps its linear path and gain).
     */
    public void resetRecurrentState() {
        Arrays.fill(hiddenState, 0.0);
        window.clear();
        hasLastInput = false;
        Arrays.fill(lastInput, 0.0);
        for (double[] f : forecasts) {
            Arrays.fill(f, 0.0);
        }
        if (correction != null) {
            correction.forgetPending();
        }
    }

    /**
     * This state as a {@link SequenceSnapshot}: {@code windowInputs} holds the window's
     * {@link Seq2SeqConfig#windowCapacity()} readings ({@code D} each, ring slot by slot), {@code windowTargets}
     * holds no targets (they are the window's own later readings) but, corrected, the {@link HorizonCorrection}'s
     * state ({@link HorizonCorrection#write}, {@link HorizonCorrection#size} doubles; empty when not corrected), {@code lastForecast}
     * holds the {@code N} forecasts made at the last reading, horizon by horizon ({@code N D}).
     */
    public SequenceSnapshot exportState() {
        int capacity = window.k2();
        int d = lastInput.length;
        double[] inputs = new double[capacity * d];
        for (int slot = 0; slot < capacity; slot++) {
            System.arraycopy(window.inputs[slot], 0, inputs, slot * d, d);
        }
        double[] flat = new double[forecasts.length * d];
        for (int h = 0; h < forecasts.length; h++) {
            System.arraycopy(forecasts[h], 0, flat, h * d, d);
        }
        double[] corrections = new double[correctionSize()];
        if (correction != null) {
            correction.write(corrections);
        }
        return new SequenceSnapshot(Model.STATE_VERSION, hiddenState.clone(), window.anchor.clone(), inputs,
                corrections, window.count(), window.head(), window.pushesSinceUpdate(), normaliser.count(),
                normaliser.meanArray().clone(), normaliser.m2Array().clone(), lastInput.clone(), hasLastInput, flat,
                readings);
    }

    /**
     * Replaces this state with {@code s}'s (as {@link #exportState} wrote it).
     *
     * @throws IllegalArgumentException if the version or an array length does not fit the configuration
     */
    public void importState(SequenceSnapshot s) {
        if (s.version() != Model.STATE_VERSION) {
            throw new IllegalArgumentException("sequence state version " + s.version()
                    + " is not supported (this build reads version " + Model.STATE_VERSION + ")");
        }
        int capacity = window.k2();
        int d = lastInput.length;
        if (correction != null && s.windowTargets().length == 0) {
            throw new IllegalArgumentException("this key state was written by the plain encoder-decoder (it holds no "
                    + "horizon correction): the corrected one does not adopt it; reset the application's state to "
                    + "start the corrected encoder-decoder (docs/deploy.md#changing-the-model-configuration)");
        }
        if (correction != null && s.windowTargets().length != correctionSize()) {
            throw new IllegalArgumentException("this key state's horizon correction holds " + s.windowTargets().length
                    + " doubles where this corrected encoder-decoder keeps " + correctionSize() + ": it was written by "
                    + "one whose base or gain keeps other statistics (rnn.forecast.horizon, rnn.forecast.period, or an "
                    + "earlier build's combination or gain rule), which this one does not adopt; reset the application's "
                    + "state to start it (docs/deploy.md#changing-the-model-configuration)");
        }
        Network.requireLength(s.hiddenState(), hiddenState.length, "hidden state");
        Network.requireLength(s.anchor(), window.anchor.length, "anchor");
        Network.requireLength(s.windowInputs(), capacity * d, "window inputs");
        Network.requireLength(s.windowTargets(), correctionSize(), "window targets (the horizon correction)");
        Network.requireLength(s.normaliserMean(), d, "normaliser mean");
        Network.requireLength(s.normaliserM2(), d, "normaliser m2");
        Network.requireLength(s.lastInput(), d, "last input");
        Network.requireLength(s.lastForecast(), forecasts.length * d, "forecasts");
        window.restore(s.windowCount(), s.windowHead(), s.pushesSinceUpdate());
        System.arraycopy(s.hiddenState(), 0, hiddenState, 0, hiddenState.length);
        System.arraycopy(s.anchor(), 0, window.anchor, 0, window.anchor.length);
        for (int slot = 0; slot < capacity; slot++) {
            System.arraycopy(s.windowInputs(), slot * d, window.inputs[slot], 0, d);
        }
        normaliser.setCount(s.normaliserCount());
        System.arraycopy(s.normaliserMean(), 0, normaliser.meanArray(), 0, d);
        System.arraycopy(s.normaliserM2(), 0, normaliser.m2Array(), 0, d);
        System.arraycopy(s.lastInput(), 0, lastInput, 0, d);
        hasLastInput = s.hasLastInput();
        for (int h = 0; h < forecasts.length; h++) {
            System.arraycopy(s.lastForecast(), h * d, forecasts[h], 0, d);
        }
        if (correction != null) {
            correction.read(s.windowTargets());
        }
        readings = s.readings();
    }
}
