package io.rnnstreams.model;

import java.util.Arrays;

/**
 * Prequential ("test, then train") online forecasting, one reading at a time:
 *
 * <ol>
 *   <li><b>test</b>: score the forecast made at the previous reading against this one;</li>
 *   <li><b>normalise</b>: update the running mean and variance, standardise the reading;</li>
 *   <li><b>remember</b>: push (previous input, this reading) onto the TBPTT window; in residual mode the
 *       target is the change from the previous input;</li>
 *   <li><b>train</b>, every {@code k1} pushes: {@link Model#train} over the window;</li>
 *   <li><b>advance</b>: one forward step with this reading; the head's output (plus this reading in
 *       residual mode), de-normalised, is the forecast of the next reading.</li>
 * </ol>
 *
 * <p>Every forecast is made before its reading is seen, so the errors it reports are out of sample.
 * Stateless apart from scratch arrays: the model and the sequence state are passed in, so one instance
 * serves many keys and one model can be shared by them. Not thread-safe.
 */
public final class OnlineForecaster {
    private final LearnerConfig config;
    private final int channels;
    private final double[] input;
    private final double[] output;
    private final double[] target;

    public OnlineForecaster(LearnerConfig config) {
        if (config.auxiliaryInputs() != 0) {
            throw new IllegalArgumentException("the online forecaster's network reads the reading alone: "
                    + "auxiliaryInputs must be 0, got " + config.auxiliaryInputs());
        }
        this.config = config;
        this.channels = config.channels();
        this.input = new double[channels];
        this.output = new double[channels];
        this.target = new double[channels];
    }

    public LearnerConfig config() {
        return config;
    }

    /**
     * Observes one reading of {@code sequence}, possibly trains {@code model}, and forecasts the next.
     *
     * @throws IllegalArgumentException if the reading has the wrong length or a non-finite value; the state
     *                                  is then untouched
     */
    public Observation observe(Model model, SequenceState sequence, double[] reading) {
        Readings.requireValid(reading, channels);
        double[] previousError = sequence.hasLastInput ? Readings.error(reading, sequence.lastForecast) : null;
        Readings.toInput(reading, config.normaliseInputs(), sequence.normaliser, input);

        boolean trained = false;
        if (sequence.hasLastInput) {
            for (int i = 0; i < channels; i++) {
                target[i] = config.residual() ? input[i] - sequence.lastInput[i] : input[i];
            }
            if (sequence.window.push(sequence.lastInput, target)) {
                model.train(sequence.window);
                trained = true;
            }
        }

        Network network = model.network();
        network.step(sequence.hiddenState, input, output);
        boolean healthReset = false;
        if (!Model.allFinite(sequence.hiddenState) || !Model.allFinite(output)) {
            // finite weights can still overflow a state (e.g. ReLU); start this sequence's state afresh
            healthReset = true;
            Arrays.fill(sequence.hiddenState, 0.0);
            network.step(sequence.hiddenState, input, output);
            if (!Model.allFinite(sequence.hiddenState)) {
                Arrays.fill(sequence.hiddenState, 0.0);
            }
        }
        addInput(input, output);
        double[] forecast = new double[channels];
        denormalise(sequence, output, forecast);
        if (!Model.allFinite(forecast)) {
            System.arraycopy(reading, 0, forecast, 0, channels); // persistence: never emit a NaN
        }

        System.arraycopy(input, 0, sequence.lastInput, 0, channels);
        sequence.hasLastInput = true;
        System.arraycopy(forecast, 0, sequence.lastForecast, 0, channels);
        sequence.readings++;
        return new Observation(forecast.clone(), previousError, trained, healthReset);
    }

    /**
     * The next {@code steps} readings, rolled forward from the sequence's current state on the model's own
     * outputs ({@code [0]} is the forecast made at the last reading). Changes neither the sequence nor the
     * model.
     *
     * @throws IllegalStateException if the sequence has seen no reading yet
     */
    public double[][] forecast(Model model, SequenceState sequence, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!sequence.hasLastInput) {
            throw new IllegalStateException("no reading observed yet: nothing to forecast from");
        }
        Network network = model.network();
        double[] state = sequence.hiddenState.clone();
        double[][] forecasts = new double[steps][];
        forecasts[0] = sequence.lastForecast.clone();
        double[] next = new double[channels];
        network.output(state, next);
        addInput(sequence.lastInput, next);
        for (int k = 1; k < steps; k++) {
            System.arraycopy(next, 0, input, 0, channels);
            network.step(state, input, next);
            addInput(input, next);
            forecasts[k] = new double[channels];
            denormalise(sequence, next, forecasts[k]);
            if (!Model.allFinite(forecasts[k])) {
                forecasts[k] = forecasts[k - 1].clone();
            }
        }
        return forecasts;
    }

    /** Residual mode: the network's output is a change; {@code out += base}. */
    private void addInput(double[] base, double[] out) {
        if (config.residual()) {
            for (int i = 0; i < channels; i++) {
                out[i] += base[i];
            }
        }
    }

    private void denormalise(SequenceState sequence, double[] z, double[] out) {
        if (config.normaliseInputs()) {
            sequence.normaliser.denormalise(z, out);
        } else {
            System.arraycopy(z, 0, out, 0, channels);
        }
    }

}
