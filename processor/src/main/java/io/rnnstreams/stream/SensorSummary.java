package io.rnnstreams.stream;

import io.rnnstreams.learner.ModelScope;
import java.time.Instant;
import java.util.List;

/**
 * What is known about one sensor key, read from its stored state (and its model's): plain numbers, no model
 * internals. Arrays have one entry per channel.
 *
 * @param key                   the sensor id
 * @param readings              readings the key's state has learned from
 * @param lastEventTime         event time of the last reading
 * @param scoredReadings        readings whose previous forecast was scored against them (prequential errors);
 *                              counted since the state started keeping them
 * @param meanAbsoluteError     per channel, the mean |actual - forecast| over the scored readings (NaN if none)
 * @param rootMeanSquaredError  per channel, the root of the mean squared error over them (NaN if none)
 * @param anomalyScore          the anomaly score of the last reading, in [0, 1]
 * @param alarmActive           whether the key's last alarm is still active: it was raised and fewer than
 *                              {@code rnn.anomaly.quiet} readings in a row have been below the threshold since
 * @param lastReading           the last reading, per input channel, recovered from the stored normalised input
 *                              (equal to it to within rounding)
 * @param lastForecast          the forecast of the next reading, made at the last one
 * @param hiddenStateNorm       Euclidean norm of the recurrent state (every layer's state vector, concatenated)
 * @param readingsSinceTraining readings pushed onto the training window since its last training
 * @param scope                 whether the key has its own model or shares its task's
 * @param modelUpdates          weight updates the key's model has applied
 * @param optimizerSteps        the optimizer's step count (the last update's step number)
 * @param restores              numerical-health restores of the model (updates refused or undone)
 * @param modelStored           false when no model was stored yet (no training so far): its figures are then
 *                              those of the initial model
 * @param forecastTimes         event time (epoch milliseconds) of {@code lastForecast}: the last reading's plus the
 *                              key's typical interval, as a one-step list like the Prediction's; empty if unknown
 * @param intervalLevel         nominal coverage of the interval around {@code lastForecast}, or null when the key
 *                              has none yet (as the Prediction's)
 * @param intervalLower         one step of per-channel lower bounds around {@code lastForecast} (the Prediction's
 *                              shape: {@code [[...]]}), empty when {@code intervalLevel} is null
 * @param intervalUpper         the upper bounds, shaped as {@code intervalLower}
 */
public record SensorSummary(String key, long readings, Instant lastEventTime, long scoredReadings,
                            double[] meanAbsoluteError, double[] rootMeanSquaredError, double anomalyScore,
                            boolean alarmActive, double[] lastReading, double[] lastForecast, double hiddenStateNorm, int readingsSinceTraining,
                            ModelScope scope, long modelUpdates, long optimizerSteps, long restores,
                            boolean modelStored, List<Long> forecastTimes, Double intervalLevel,
                            double[][] intervalLower, double[][] intervalUpper) {
    /** A summary without forecast times or intervals. */
    public SensorSummary(String key, long readings, Instant lastEventTime, long scoredReadings,
                         double[] meanAbsoluteError, double[] rootMeanSquaredError, double anomalyScore,
                         boolean alarmActive, double[] lastReading, double[] lastForecast, double hiddenStateNorm,
                         int readingsSinceTraining, ModelScope scope, long modelUpdates, long optimizerSteps,
                         long restores, boolean modelStored) {
        this(key, readings, lastEventTime, scoredReadings, meanAbsoluteError, rootMeanSquaredError, anomalyScore,
                alarmActive, lastReading, lastForecast, hiddenStateNorm, readingsSinceTraining, scope, modelUpdates, optimizerSteps, restores,
                modelStored, List.of(), null, new double[0][], new double[0][]);
    }
}
