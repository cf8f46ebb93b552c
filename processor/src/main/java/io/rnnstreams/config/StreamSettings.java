package io.rnnstreams.config;

import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.LearnerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Immutable settings of the forecasting topology (the part of the configuration that is not Kafka's).
 * Validated on construction: a bad value fails with a message naming the setting.
 *
 * @param inputTopics       sensor topics to read; empty when {@link #inputPattern} is set
 * @param inputPattern      a topic pattern to read instead of a list, or null
 * @param predictionsTopic  where {@code Prediction}s go
 * @param deadLetterTopic   where records that cannot be used go, with a {@code reason} header
 * @param scope             which keys share weights
 * @param learner           the engine's configuration; its input size is the channel count {@code D}
 * @param horizon           forecast steps per prediction ({@code >= 1}); above 1 the prediction carries
 *                          the n-step rollout
 * @param gapReset          a gap in event time longer than this resets the key's recurrent state
 * @param idleRetention     a key not seen for longer than this (wall-clock time) is removed
 * @param idleScanInterval  how often (in wall-clock time) idle keys are looked for
 * @param maxAbsValue       readings with a channel beyond {@code +-maxAbsValue} are dead letters
 * @param anomalyShort      readings in the short window of the anomaly score
 * @param anomalyLong       readings in the long window of the anomaly score
 * @param modelCacheSize    key scope: per-key models kept deserialised in memory per task
 * @param modelInit         a model file (written by {@code export-model}) that keys without a stored model
 *                          start from, or null for the seeded initialisation
 * @param limits            bounds on event time, key size and the model cache (issue 12)
 */
public record StreamSettings(List<String> inputTopics, Pattern inputPattern, String predictionsTopic,
                             String deadLetterTopic, ModelScope scope, LearnerConfig learner, int horizon,
                             Duration gapReset, Duration idleRetention, Duration idleScanInterval,
                             double maxAbsValue, int anomalyShort, int anomalyLong, int modelCacheSize,
                             java.nio.file.Path modelInit, StreamLimits limits) {

    public StreamSettings {
        Objects.requireNonNull(limits, "limits");
        inputTopics = List.copyOf(Objects.requireNonNull(inputTopics, "inputTopics"));
        if (inputTopics.isEmpty() == (inputPattern == null)) {
            throw new IllegalArgumentException("set exactly one of rnn.topic.input (a list of topics) and "
                    + "rnn.topic.input.pattern (a regular expression)");
        }
        requireName(predictionsTopic, "rnn.topic.predictions");
        requireName(deadLetterTopic, "rnn.topic.dead-letters");
        Objects.requireNonNull(scope, "rnn.model.scope");
        Objects.requireNonNull(learner, "learner");
        require(horizon >= 1 && horizon <= 1000, "rnn.forecast.horizon must be in [1, 1000], got " + horizon);
        require(gapReset != null && !gapReset.isNegative() && !gapReset.isZero(),
                "rnn.time.gap-reset must be a positive duration, got " + gapReset);
        require(idleRetention != null && !idleRetention.isNegative() && !idleRetention.isZero(),
                "rnn.state.idle-retention must be a positive duration, got " + idleRetention);
        require(idleScanInterval != null && !idleScanInterval.isNegative() && !idleScanInterval.isZero(),
                "rnn.state.idle-scan-interval must be a positive duration, got " + idleScanInterval);
        require(maxAbsValue > 0 && !Double.isNaN(maxAbsValue),
                "rnn.input.max-abs-value must be > 0, got " + maxAbsValue);
        require(anomalyShort >= 2, "rnn.anomaly.short-window must be >= 2, got " + anomalyShort);
        require(anomalyLong > anomalyShort, "rnn.anomaly.long-window must be > rnn.anomaly.short-window ("
                + anomalyShort + "), got " + anomalyLong);
        require(modelCacheSize >= 1, "rnn.model.cache-size must be >= 1, got " + modelCacheSize);
        for (String topic : inputTopics) {
            requireName(topic, "rnn.topic.input");
            require(!topic.equals(predictionsTopic) && !topic.equals(deadLetterTopic),
                    "rnn.topic.input must differ from the predictions and dead-letter topics, got " + topic);
        }
        require(!predictionsTopic.equals(deadLetterTopic),
                "rnn.topic.predictions and rnn.topic.dead-letters must differ, both are " + predictionsTopic);
    }

    /** With the default {@link StreamLimits}. */
    public StreamSettings(List<String> inputTopics, Pattern inputPattern, String predictionsTopic,
                          String deadLetterTopic, ModelScope scope, LearnerConfig learner, int horizon,
                          Duration gapReset, Duration idleRetention, Duration idleScanInterval,
                          double maxAbsValue, int anomalyShort, int anomalyLong, int modelCacheSize,
                          java.nio.file.Path modelInit) {
        this(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner, horizon, gapReset,
                idleRetention, idleScanInterval, maxAbsValue, anomalyShort, anomalyLong, modelCacheSize, modelInit,
                StreamLimits.DEFAULTS);
    }

    /** A copy with other {@link StreamLimits}. */
    public StreamSettings withLimits(StreamLimits newLimits) {
        return new StreamSettings(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner,
                horizon, gapReset, idleRetention, idleScanInterval, maxAbsValue, anomalyShort, anomalyLong,
                modelCacheSize, modelInit, newLimits);
    }

    /** A copy that reads {@code inputTopic} and writes to {@code predictions} and {@code deadLetters}. */
    public StreamSettings withTopics(String inputTopic, String predictions, String deadLetters) {
        return new StreamSettings(List.of(inputTopic), null, predictions, deadLetters, scope, learner, horizon,
                gapReset, idleRetention, idleScanInterval, maxAbsValue, anomalyShort, anomalyLong, modelCacheSize,
                modelInit, limits);
    }

    /** Channels per reading, {@code D}. */
    public int channels() {
        return learner.channels();
    }

    private static void requireName(String topic, String setting) {
        require(topic != null && !topic.isBlank() && topic.matches("[a-zA-Z0-9._-]{1,249}"),
                setting + " must be a Kafka topic name ([a-zA-Z0-9._-], 1..249 chars), got '" + topic + "'");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
