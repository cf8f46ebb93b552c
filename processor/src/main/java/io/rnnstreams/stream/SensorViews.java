package io.rnnstreams.stream;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.eval.PredictionIntervals;
import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.learner.ModelIdentity;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.learner.SensorState;
import io.rnnstreams.learner.TypicalInterval;
import io.rnnstreams.model.CompactState;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.OnlineForecaster;
import io.rnnstreams.model.SequenceSnapshot;
import io.rnnstreams.model.SequenceState;
import java.util.List;

/**
 * Views of a key's stored state for queries: its {@link SensorSummary}, and an n-step forecast rolled forward
 * from it with the engine's own rollout ({@link OnlineForecaster#forecast}). Pure functions of the stored
 * records: nothing is written back, so the live state is never changed by a query.
 */
public final class SensorViews {
    private SensorViews() {
    }

    /**
     * @param model the key's stored model (key scope) or its task's (shared scope); null when none was stored
     *              yet
     */
    public static SensorSummary summary(String key, KeyState state, ModelState model, ModelScope scope) {
        SequenceSnapshot sequence = StateCodec.sequence(state);
        return summary(key, state, model, scope, sequence, sequence.lastReading(),
                StateCodec.unpack(state.getLastForecast()), state.getReadings());
    }

    /**
     * The summary of a key the hybrid learner runs ({@code rnn.learner=hybrid}): its counts, last reading,
     * forecast and recurrent state are read from its hybrid state, the rest as {@link #summary(String, KeyState,
     * ModelState, ModelScope)} reads it. The last reading is its linear path's persistence forecast, stored in
     * float: equal to the reading to within float rounding (the network's normalised input, which the plain RNN's
     * summary reads, is stored in half).
     *
     * @param hybrid the key's hybrid state, restored from {@code state} ({@link StateCodec#hybrid})
     */
    public static SensorSummary summary(String key, KeyState state, ModelState model, ModelScope scope,
                                        HybridForecaster.KeyState hybrid) {
        SequenceSnapshot sequence = hybrid.sequence();
        double[] lastForecast = hybrid.lastForecast();
        double[] lastReading = hybrid.lastReading();
        if (lastReading == null) {
            lastReading = new double[0];
        }
        return summary(key, state, model, scope, sequence, lastReading,
                lastForecast == null ? new double[0] : lastForecast, hybrid.readings());
    }

    /**
     * The summary of a key the encoder-decoder runs ({@code rnn.forecast.mode=seq2seq}): its counts, last reading,
     * one-step forecast and encoder state are read from its {@code seq2seq} state, the rest as
     * {@link #summary(String, KeyState, ModelState, ModelScope)} reads it.
     *
     * @param seq2seq the key's encoder-decoder state ({@link StateCodec#seq2seq}), not null
     */
    public static SensorSummary summary(String key, KeyState state, ModelState model, ModelScope scope,
                                        SequenceSnapshot seq2seq) {
        double[] lastForecast = seq2seq.hasLastInput()
                ? java.util.Arrays.copyOf(seq2seq.lastForecast(), seq2seq.lastInput().length) : new double[0];
        return summary(key, state, model, scope, seq2seq, seq2seq.lastReading(), lastForecast, seq2seq.readings());
    }

    /**
     * The forecasts of a key the encoder-decoder runs: the first {@code steps} of the {@code N} its decoder made at
     * the key's last reading (what that reading's prediction carried as its horizon).
     *
     * @param seq2seq the key's encoder-decoder state ({@link StateCodec#seq2seq}), not null
     * @throws IllegalArgumentException if {@code steps} is not in {@code [1, N]}
     */
    public static double[][] forecast(SequenceSnapshot seq2seq, int steps) {
        int d = seq2seq.lastInput().length;
        int n = d == 0 ? 0 : seq2seq.lastForecast().length / d;
        if (steps < 1 || steps > n) {
            throw new IllegalArgumentException("the encoder-decoder (rnn.forecast.mode=seq2seq) forecasts "
                    + "rnn.forecast.horizon = " + n + " steps: steps must be in [1, " + n + "], got " + steps);
        }
        if (!seq2seq.hasLastInput()) {
            return new double[0][];
        }
        double[][] out = new double[steps][];
        for (int h = 0; h < steps; h++) {
            out[h] = java.util.Arrays.copyOfRange(seq2seq.lastForecast(), h * d, (h + 1) * d);
        }
        return out;
    }

    private static SensorSummary summary(String key, KeyState state, ModelState model, ModelScope scope,
                                         SequenceSnapshot sequence, double[] lastReading, double[] lastForecast,
                                         long readings) {
        double squares = 0.0;
        for (double h : sequence.hiddenState()) {
            squares += h * h;
        }
        SensorState sensor = StateCodec.sensorState(state, lastForecast.length);
        double[] intervals = StateCodec.predictionIntervalState(state, lastForecast.length);
        boolean intervalsReady = PredictionIntervals.ready(intervals);
        return new SensorSummary(key, readings, state.getLastEventTime(), sensor.scoredReadings(),
                sensor.meanAbsoluteErrors(), sensor.rootMeanSquaredErrors(), sensor.anomalyScore(),
                sensor.alarmActive(), lastReading, lastForecast,
                Math.sqrt(squares), sequence.pushesSinceUpdate(), scope,
                model == null ? 0 : model.getUpdates(), model == null ? 0 : model.getOptimizerStep(),
                model == null ? 0 : model.getRestores(), model != null, forecastTimes(state, sensor),
                intervalsReady ? PredictionIntervals.DEFAULT_LEVEL : null,
                intervalsReady ? new double[][] {PredictionIntervals.bounds(intervals, lastForecast, 1, false)}
                        : new double[0][],
                intervalsReady ? new double[][] {PredictionIntervals.bounds(intervals, lastForecast, 1, true)}
                        : new double[0][]);
    }

    /**
     * The forecast of a key the hybrid learner runs: it forecasts one step, the one made at the key's last
     * reading (as the processor emits no n-step horizon for it).
     *
     * @param hybrid the key's hybrid state, restored from its stored state
     * @throws IllegalArgumentException if {@code steps != 1}
     */
    public static double[][] forecast(HybridForecaster.KeyState hybrid, int steps) {
        if (steps != 1) {
            throw new IllegalArgumentException("the hybrid learner (rnn.learner=hybrid) forecasts one step ahead: "
                    + "steps must be 1, got " + steps + " (rnn.learner=rnn forecasts up to rnn.http.forecast.max-steps)");
        }
        double[] last = hybrid.lastForecast();
        return new double[][] {last == null ? new double[0] : last};
    }

    /**
     * The next {@code steps} readings from the stored state, exactly as the processor's n-step horizon would
     * give them at the key's last reading.
     *
     * @param model   the stored model, or null when none was stored yet (then {@code initial} or, if that is
     *                null too, the seeded initialisation: what the processor would use)
     * @param initial the warm-start model, or null
     * @throws IllegalArgumentException if {@code steps < 1}
     * @throws IllegalStateException    if the stored state belongs to another model configuration
     */
    public static double[][] forecast(LearnerConfig learner, KeyState state, ModelState model, ModelSnapshot initial,
                                      int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        Model m = new Model(learner, null, model != null
                ? StateCodec.model(model, ModelIdentity.of(learner, ModelScope.KEY), false) : initial);
        SequenceState sequence = new SequenceState(learner);
        sequence.importState(StateCodec.sequence(state));
        return new OnlineForecaster(learner).forecast(m, sequence, steps);
    }

    /** The event time of the stored last forecast, as a one-step list; empty when the key has no interval yet. */
    private static List<Long> forecastTimes(KeyState state, SensorState sensor) {
        long typical = TypicalInterval.typicalMs(sensor.intervals());
        return typical > 0 ? List.of(state.getLastEventTime().toEpochMilli() + typical) : List.of();
    }

    /**
     * The key's hybrid state, read with {@code reader} ({@link HybridLearners#reader}) when the hybrid learner runs
     * and the stored state holds one that fits the settings; null otherwise: the plain RNN runs ({@code reader}
     * null), the state is the plain RNN's, or the hybrid's under other shapes (the processor would start that key
     * afresh at its next reading).
     */
    static HybridForecaster.KeyState hybridState(HybridForecaster reader, KeyState state) {
        CompactState compact = reader == null ? null : StateCodec.hybrid(state);
        if (compact == null) {
            return null;
        }
        try {
            return reader.restore(compact);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The model store's key for {@code key}'s model under {@code scope}. */
    static String modelKey(String key, ModelScope scope) {
        return scope.storeKey(key);
    }
}
