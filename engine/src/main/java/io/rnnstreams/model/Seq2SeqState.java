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
    long readings;

    public Seq2SeqState(Seq2SeqConfig config) {
        int stateSize = SequenceState.stateSize(config.network());
        int d = config.channels();
        this.hiddenState = new double[stateSize];
        this.window = new TbpttWindow(config.learner().k1(), config.windowCapacity(), d, 0, stateSize);
        this.normaliser = new Normaliser(d);
        this.lastInput = new double[d];
        this.forecasts = new double[config.horizon()][d];
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

    /**
     * The doubles this state keeps between readings: the encoder state and the anchor ({@code 2 S}), the
     * window's {@code (k2 + N) D} readings, the normaliser's {@code 2 D}, the last input {@code D} and the
     * {@code N D} forecasts.
     */
    public long storedDoubles() {
        int d = lastInput.length;
        return 2L * hiddenState.length + (long) window.k2() * d + 3L * d + (long) forecasts.length * d;
    }

    /** Forgets the encoder state, the window and the forecasts; keeps the normaliser and the reading count. */
    public void resetRecurrentState() {
        Arrays.fill(hiddenState, 0.0);
        window.clear();
        hasLastInput = false;
        Arrays.fill(lastInput, 0.0);
        for (double[] f : forecasts) {
            Arrays.fill(f, 0.0);
        }
    }
}
