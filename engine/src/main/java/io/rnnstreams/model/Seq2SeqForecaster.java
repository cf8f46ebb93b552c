package io.rnnstreams.model;

import java.util.Arrays;

/**
 * Prequential ("test, then train") multi-horizon forecasting by the {@link EncoderDecoder}, one reading at a
 * time:
 *
 * <ol>
 *   <li><b>test</b>: score the one-step forecast made at the previous reading against this one;</li>
 *   <li><b>normalise</b>: update the running mean and variance, standardise the reading;</li>
 *   <li><b>remember</b>: push the standardised reading onto the window; the {@code N} readings after a window
 *       step are its decoder's targets, so supervision of the state at reading {@code t} arrives with reading
 *       {@code t + N};</li>
 *   <li><b>train</b>, every {@code k1} pushes: {@link EncoderDecoderModel#train};</li>
 *   <li><b>advance</b>: one encoder step with this reading, then {@code N} decoder steps from the new state:
 *       the outputs (plus this reading in residual mode), de-normalised, are the forecasts of the next
 *       {@code N} readings. Corrected ({@link Seq2SeqConfig#corrected()}): output {@code h} is a correction,
 *       the forecast {@code b_h + g_h o_h} with the base and gain of {@link HorizonCorrection}, whose member
 *       errors and pending corrections are scored on each reading as it is remembered, before the training.</li>
 * </ol>
 *
 * <p>Stateless apart from scratch arrays: model and sequence state are passed in. Not thread-safe.
 */
public final class Seq2SeqForecaster {
    /** The window keeps no targets: a step's targets are the window's later readings. */
    private static final double[] NO_TARGET = new double[0];
    private final Seq2SeqConfig config;
    private final int channels;
    private final double[] input;
    private final double[][] outputs;
    private final double[] decoderState;
    private final double[][] lagged;
    private final double[] base;

    public Seq2SeqForecaster(Seq2SeqConfig config) {
        this.config = config;
        this.channels = config.channels();
        this.input = new double[channels];
        this.outputs = new double[config.horizon()][channels];
        this.decoderState = new double[SequenceState.stateSize(config.network())];
        this.lagged = new double[config.horizon()][];
        this.base = new double[channels];
    }

    public Seq2SeqConfig config() {
        return config;
    }

    /**
     * Observes one reading of {@code sequence}, possibly trains {@code model}, and forecasts the next {@code N}.
     *
     * @return the observation; its forecast is the one-step forecast ({@link #forecast} has all {@code N})
     * @throws IllegalArgumentException if the reading has the wrong length or a non-finite value; the state is
     *                                  then untouched
     */
    public Observation observe(EncoderDecoderModel model, Seq2SeqState sequence, double[] reading) {
        Readings.requireValid(reading, channels);
        double[] previousError = sequence.hasLastInput ? Readings.error(reading, sequence.forecasts[0]) : null;
        boolean normalise = config.learner().normaliseInputs();
        Readings.toInput(reading, normalise, sequence.normaliser, input);
        boolean trained = false;
        HorizonCorrection correction = sequence.correction;
        boolean due = sequence.window.push(input, NO_TARGET);
        if (correction != null) {
            correction.observe(sequence.window, sequence.readings);
        }
        if (due) {
            trained = sequence.window.count() > config.horizon() + config.lead(); // else nothing is supervised yet
            model.train(sequence.window, correction);
        }

        EncoderDecoder network = model.network();
        network.encode(sequence.hiddenState, input);
        boolean healthReset = false;
        if (!Model.allFinite(sequence.hiddenState)) {
            healthReset = true;
            Arrays.fill(sequence.hiddenState, 0.0);
            network.encode(sequence.hiddenState, input);
            if (!Model.allFinite(sequence.hiddenState)) {
                Arrays.fill(sequence.hiddenState, 0.0);
            }
        }
        if (config.lagInputs()) {
            TbpttWindow window = sequence.window;
            int n = config.horizon();
            for (int h = 1; h <= n; h++) {
                int index = Math.max(0, window.count() - 1 - (n - h)); // x_{t+h-N}; the oldest held before N readings
                lagged[h - 1] = window.inputs[(window.head() + index) % window.k2()];
            }
        }
        network.decode(sequence.hiddenState, input, lagged, decoderState, outputs);
        if (correction != null) {
            correction.remember(sequence.readings, outputs);
        }
        for (int h = 0; h < outputs.length; h++) {
            double[] f = sequence.forecasts[h];
            if (correction != null) {
                TbpttWindow window = sequence.window;
                correction.base(window.inputs, window.head(), window.count() - 1, h + 1, base);
                for (int i = 0; i < channels; i++) {
                    outputs[h][i] = base[i] + correction.gain(h + 1, i) * outputs[h][i];
                }
            } else if (config.learner().residual()) {
                for (int i = 0; i < channels; i++) {
                    outputs[h][i] += input[i];
                }
            }
            if (normalise) {
                sequence.normaliser.denormalise(outputs[h], f);
            } else {
                System.arraycopy(outputs[h], 0, f, 0, channels);
            }
            if (!Model.allFinite(f)) {
                System.arraycopy(reading, 0, f, 0, channels); // persistence: never emit a NaN
            }
        }
        System.arraycopy(input, 0, sequence.lastInput, 0, channels);
        sequence.hasLastInput = true;
        sequence.readings++;
        return new Observation(sequence.forecasts[0].clone(), previousError, trained, healthReset);
    }

    /**
     * The forecasts of the next {@code steps} readings made at the last reading ({@code [h-1]}: {@code h} steps
     * ahead), copies. Changes nothing.
     *
     * @throws IllegalArgumentException if {@code steps} is not in {@code [1, N]}
     * @throws IllegalStateException    if the sequence has seen no reading yet
     */
    public double[][] forecast(Seq2SeqState sequence, int steps) {
        if (steps < 1 || steps > config.horizon()) {
            throw new IllegalArgumentException("steps must be in [1, " + config.horizon() + "] (the seq2seq horizon N), got "
                    + steps);
        }
        if (!sequence.hasLastInput) {
            throw new IllegalStateException("no reading observed yet: nothing to forecast from");
        }
        double[][] out = new double[steps][];
        for (int h = 0; h < steps; h++) {
            out[h] = sequence.forecasts[h].clone();
        }
        return out;
    }

}
