package io.rnnstreams.config;

import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.learner.ModelIdentity;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Seq2SeqConfig;
import io.rnnstreams.model.SmootherConfig;
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
 * @param gapReset          until a key has 3 intervals between readings, a gap in event time longer than this
 *                          resets its recurrent state
 * @param gapMultiple       then a pause longer than this many times the median of its last 5 intervals does
 *                          ({@link io.rnnstreams.learner.TypicalInterval})
 * @param idleRetention     a key not seen for longer than this (wall-clock time) is removed
 * @param idleScanInterval  how often (in wall-clock time) idle keys are looked for
 * @param maxAbsValue       readings with a channel beyond {@code +-maxAbsValue} are dead letters
 * @param anomaly           the anomaly detector's settings (rnn.anomaly.*)
 * @param modelCacheSize    key scope: per-key models kept deserialised in memory per task
 * @param modelInit         a model file (written by {@code export-model}) that keys without a stored model
 *                          start from, or null for the seeded initialisation
 * @param formats           the wire formats of the input and output values, and their schema registry
 * @param limits            bounds on event time, key size and the model cache (issue 12)
 * @param learnerChoice     the plain RNN or the hybrid learner ({@code rnn.learner}, {@code rnn.hybrid.*})
 * @param forecastMode      how the plain RNN forecasts {@code horizon} readings: rolled forward, or by the
 *                          encoder-decoder ({@code rnn.forecast.mode=seq2seq}: needs {@code rnn.learner=rnn}, a
 *                          horizon of at least 2 and no {@code rnn.model.init})
 * @param smoothing         the fixed-lag smoothing and its topic ({@code rnn.smoothing.lag}, {@code rnn.topic.lagged})
 * @param forecastPeriod    the encoder-decoder's seasonal period in readings ({@code rnn.forecast.period}: its base's
 *                          seasonal-persistence member), 0 for none; in {@code [0, }{@value Seq2SeqConfig#MAX_HORIZON}{@code ]},
 *                          0 unless {@code rnn.forecast.mode=seq2seq}
 */
public record StreamSettings(List<String> inputTopics, Pattern inputPattern, String predictionsTopic,
                             String deadLetterTopic, ModelScope scope, LearnerConfig learner, int horizon,
                             Duration gapReset, double gapMultiple, Duration idleRetention,
                             Duration idleScanInterval, double maxAbsValue, DetectorConfig anomaly, int modelCacheSize,
                             java.nio.file.Path modelInit, ValueFormats formats, StreamLimits limits,
                             LearnerChoice learnerChoice, ForecastMode forecastMode, Smoothing smoothing,
                             int forecastPeriod) {

    /** Settings without a seasonal period for the encoder-decoder. */
    public StreamSettings(List<String> inputTopics, Pattern inputPattern, String predictionsTopic,
                          String deadLetterTopic, ModelScope scope, LearnerConfig learner, int horizon,
                          Duration gapReset, double gapMultiple, Duration idleRetention,
                          Duration idleScanInterval, double maxAbsValue, DetectorConfig anomaly, int modelCacheSize,
                          java.nio.file.Path modelInit, ValueFormats formats, StreamLimits limits,
                          LearnerChoice learnerChoice, ForecastMode forecastMode, Smoothing smoothing) {
        this(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner, horizon, gapReset,
                gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly, modelCacheSize, modelInit,
                formats, limits, learnerChoice, forecastMode, smoothing, 0);
    }

    /** Settings without smoothing. */
    public StreamSettings(List<String> inputTopics, Pattern inputPattern, String predictionsTopic,
                          String deadLetterTopic, ModelScope scope, LearnerConfig learner, int horizon,
                          Duration gapReset, double gapMultiple, Duration idleRetention,
                          Duration idleScanInterval, double maxAbsValue, DetectorConfig anomaly, int modelCacheSize,
                          java.nio.file.Path modelInit, ValueFormats formats, StreamLimits limits,
                          LearnerChoice learnerChoice, ForecastMode forecastMode) {
        this(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner, horizon, gapReset,
                gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly, modelCacheSize, modelInit,
                formats, limits, learnerChoice, forecastMode, Smoothing.OFF);
    }

    /** Settings of the given learner, forecasting recursively. */
    public StreamSettings(List<String> inputTopics, Pattern inputPattern, String predictionsTopic,
                          String deadLetterTopic, ModelScope scope, LearnerConfig learner, int horizon,
                          Duration gapReset, double gapMultiple, Duration idleRetention,
                          Duration idleScanInterval, double maxAbsValue, DetectorConfig anomaly, int modelCacheSize,
                          java.nio.file.Path modelInit, ValueFormats formats, StreamLimits limits,
                          LearnerChoice learnerChoice) {
        this(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner, horizon, gapReset,
                gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly, modelCacheSize, modelInit,
                formats, limits, learnerChoice, ForecastMode.RECURSIVE);
    }

    /** Settings of the plain RNN learner. */
    public StreamSettings(List<String> inputTopics, Pattern inputPattern, String predictionsTopic,
                          String deadLetterTopic, ModelScope scope, LearnerConfig learner, int horizon,
                          Duration gapReset, double gapMultiple, Duration idleRetention,
                          Duration idleScanInterval, double maxAbsValue, DetectorConfig anomaly, int modelCacheSize,
                          java.nio.file.Path modelInit, ValueFormats formats, StreamLimits limits) {
        this(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner, horizon, gapReset,
                gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly, modelCacheSize, modelInit,
                formats, limits, LearnerChoice.RNN);
    }

    /** Settings with the default formats (single-object both ways, no registry) and {@link StreamLimits}. */
    public StreamSettings(List<String> inputTopics, Pattern inputPattern, String predictionsTopic,
                          String deadLetterTopic, ModelScope scope, LearnerConfig learner, int horizon,
                          Duration gapReset, double gapMultiple, Duration idleRetention,
                          Duration idleScanInterval, double maxAbsValue, DetectorConfig anomaly, int modelCacheSize,
                          java.nio.file.Path modelInit) {
        this(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner, horizon, gapReset,
                gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly, modelCacheSize, modelInit,
                ValueFormats.SINGLE_OBJECT, StreamLimits.DEFAULTS);
    }

    /** Settings with the default {@link StreamLimits}. */
    public StreamSettings(List<String> inputTopics, Pattern inputPattern, String predictionsTopic,
                          String deadLetterTopic, ModelScope scope, LearnerConfig learner, int horizon,
                          Duration gapReset, double gapMultiple, Duration idleRetention,
                          Duration idleScanInterval, double maxAbsValue, DetectorConfig anomaly, int modelCacheSize,
                          java.nio.file.Path modelInit, ValueFormats formats) {
        this(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner, horizon, gapReset,
                gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly, modelCacheSize, modelInit,
                formats, StreamLimits.DEFAULTS);
    }

    /**
     * The largest {@code rnn.input.max-abs-value}: readings, forecast errors (up to twice this) and their
     * squares summed over 10^18 readings (the normaliser's and the error statistics' sums) stay far below
     * {@link Double#MAX_VALUE} (1.8e308).
     */
    public static final double MAX_INPUT_BOUND = 1e100;

    public StreamSettings {
        Objects.requireNonNull(formats, "formats");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(learnerChoice, "rnn.learner");
        if (learnerChoice.hybrid()) {
            require(horizon == 1, "rnn.learner=hybrid forecasts one step: rnn.forecast.horizon must be 1, got "
                    + horizon + "; set rnn.learner=rnn to forecast " + horizon + " steps");
            require(modelInit == null, "rnn.learner=hybrid cannot start from rnn.model.init (a plain RNN's weights): "
                    + "unset it, or set rnn.learner=rnn to warm-start from it; got " + modelInit);
        }
        Objects.requireNonNull(forecastMode, "rnn.forecast.mode");
        if (forecastMode == ForecastMode.SEQ2SEQ) {
            require(!learnerChoice.hybrid(), "rnn.forecast.mode=seq2seq runs the encoder-decoder in place of the "
                    + "plain RNN: rnn.learner must be rnn, got hybrid");
            require(horizon >= 2 && horizon <= Seq2SeqConfig.MAX_HORIZON, "rnn.forecast.mode=seq2seq decodes "
                    + "rnn.forecast.horizon readings at every reading: rnn.forecast.horizon must be in [2, "
                    + Seq2SeqConfig.MAX_HORIZON + "], got " + horizon);
            require(modelInit == null, "rnn.forecast.mode=seq2seq cannot start from rnn.model.init (a plain RNN's "
                    + "weights): unset it, got " + modelInit);
            require(learner.residual(), "rnn.forecast.mode=seq2seq corrects a base forecast (the residual's last "
                    + "reading generalised): it needs rnn.model.residual=true, got false");
        }
        require(forecastPeriod >= 0 && forecastPeriod <= Seq2SeqConfig.MAX_HORIZON, "rnn.forecast.period must be in "
                + "[0, " + Seq2SeqConfig.MAX_HORIZON + "], got " + forecastPeriod);
        require(forecastPeriod == 0 || forecastMode == ForecastMode.SEQ2SEQ, "rnn.forecast.period is the "
                + "encoder-decoder's seasonal period: it needs rnn.forecast.mode=seq2seq, got rnn.forecast.period="
                + forecastPeriod + " with rnn.forecast.mode=" + forecastMode.name().toLowerCase(java.util.Locale.ROOT)
                + "; unset it, or set rnn.forecast.mode=seq2seq");
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
        require(maxAbsValue > 0 && maxAbsValue <= MAX_INPUT_BOUND,
                "rnn.input.max-abs-value must be in (0, 1e100] (larger readings' squares can overflow), got "
                        + maxAbsValue);
        require(gapMultiple > 1, "rnn.time.gap-multiple must be > 1, got " + gapMultiple);
        Objects.requireNonNull(anomaly, "anomaly");
        require(modelCacheSize >= 1, "rnn.model.cache-size must be >= 1, got " + modelCacheSize);
        for (String topic : inputTopics) {
            requireName(topic, "rnn.topic.input");
            require(!topic.equals(predictionsTopic) && !topic.equals(deadLetterTopic),
                    "rnn.topic.input must differ from the predictions and dead-letter topics, got " + topic);
        }
        require(!predictionsTopic.equals(deadLetterTopic),
                "rnn.topic.predictions and rnn.topic.dead-letters must differ, both are " + predictionsTopic);
        Objects.requireNonNull(smoothing, "smoothing");
        if (smoothing.on()) {
            String lagged = smoothing.laggedTopic();
            require(!lagged.equals(predictionsTopic) && !lagged.equals(deadLetterTopic) && !inputTopics.contains(lagged),
                    "rnn.topic.lagged must differ from the input, predictions and dead-letter topics, got " + lagged);
        }
    }

    /** A copy with other {@link StreamLimits}. */
    public StreamSettings withLimits(StreamLimits newLimits) {
        return new StreamSettings(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner,
                horizon, gapReset, gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly,
                modelCacheSize, modelInit, formats, newLimits, learnerChoice, forecastMode, smoothing, forecastPeriod);
    }

    /** A copy with other {@link ValueFormats}. */
    public StreamSettings withFormats(ValueFormats newFormats) {
        return new StreamSettings(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner,
                horizon, gapReset, gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly,
                modelCacheSize, modelInit, newFormats, limits, learnerChoice, forecastMode, smoothing, forecastPeriod);
    }

    /** A copy that reads {@code inputTopic} and writes to {@code predictions} and {@code deadLetters}. */
    public StreamSettings withTopics(String inputTopic, String predictions, String deadLetters) {
        return new StreamSettings(List.of(inputTopic), null, predictions, deadLetters, scope, learner, horizon,
                gapReset, gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly, modelCacheSize, modelInit,
                formats, limits, learnerChoice, forecastMode, smoothing, forecastPeriod);
    }

    /** A copy that runs {@code choice}. */
    public StreamSettings withLearnerChoice(LearnerChoice choice) {
        return new StreamSettings(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner,
                horizon, gapReset, gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly,
                modelCacheSize, modelInit, formats, limits, choice, forecastMode, smoothing, forecastPeriod);
    }

    /** A copy that forecasts in {@code mode}. */
    public StreamSettings withForecastMode(ForecastMode mode) {
        return new StreamSettings(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner,
                horizon, gapReset, gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly,
                modelCacheSize, modelInit, formats, limits, learnerChoice, mode, smoothing, forecastPeriod);
    }

    /** A copy whose encoder-decoder has the seasonal period {@code period} ({@link #forecastPeriod}). */
    public StreamSettings withForecastPeriod(int period) {
        return new StreamSettings(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner,
                horizon, gapReset, gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly,
                modelCacheSize, modelInit, formats, limits, learnerChoice, forecastMode, smoothing, period);
    }

    /** A copy with other {@link Smoothing}. */
    public StreamSettings withSmoothing(Smoothing newSmoothing) {
        return new StreamSettings(inputTopics, inputPattern, predictionsTopic, deadLetterTopic, scope, learner,
                horizon, gapReset, gapMultiple, idleRetention, idleScanInterval, maxAbsValue, anomaly,
                modelCacheSize, modelInit, formats, limits, learnerChoice, forecastMode, newSmoothing, forecastPeriod);
    }

    /**
     * The fixed-lag smoother's configuration ({@code rnn.smoothing.lag > 0}): the plain RNN's {@link #learner}
     * shapes and training settings for both directions, and the lag.
     */
    public SmootherConfig smootherConfig() {
        return new SmootherConfig(learner, smoothing.lag());
    }

    /** Whether the encoder-decoder forecasts ({@code rnn.forecast.mode=seq2seq}). */
    public boolean seq2seq() {
        return forecastMode == ForecastMode.SEQ2SEQ;
    }

    /**
     * The encoder-decoder's configuration ({@code rnn.forecast.mode=seq2seq}): the plain RNN's {@link #learner}
     * and the horizon {@code N}, <b>corrected</b> ({@link Seq2SeqConfig#corrected}): the decoder's output at step
     * {@code h} corrects a per-horizon base, persistence and a smoothed level ({@link Seq2SeqConfig.Level#BOTH})
     * and, with {@link #forecastPeriod} {@code m > 0}, seasonal persistence, combined by their recent errors at
     * that horizon at their minimum error variance ({@link Seq2SeqConfig.Combination#MIN_VARIANCE}), with a fitted
     * gain weighed against the uncorrected base by their prequential errors ({@link Seq2SeqConfig.GainRule#CHOSEN});
     * the decoder reads the last reading alone ({@link Seq2SeqConfig#served}): the configuration chosen for the stream
     * on ETTh1 and SKAB (docs/accuracy.md, "The stream's encoder-decoder" and "Beating every non-RNN row at h = N").
     */
    public Seq2SeqConfig seq2seqConfig() {
        return Seq2SeqConfig.served(learner, horizon, forecastPeriod);
    }

    /**
     * The fingerprint every prediction carries ({@code modelFingerprint}): the model store's network's
     * ({@link LearnerConfig#fingerprint()}), or the encoder-decoder's ({@link Seq2SeqConfig#fingerprint()}).
     */
    public String modelFingerprint() {
        return seq2seq() ? seq2seqConfig().fingerprint() : modelConfig().fingerprint();
    }

    /**
     * The identity stored with every model record (checked at start-up and at every read): the model store's
     * network ({@link #modelConfig}) in {@link #scope}, or the encoder-decoder's.
     */
    public ModelIdentity modelIdentity() {
        return seq2seq() ? ModelIdentity.of(seq2seqConfig(), scope) : ModelIdentity.of(modelConfig(), scope);
    }

    /**
     * The configuration of the network the model store holds ({@link LearnerChoice#modelConfig}): the plain
     * RNN's {@link #learner}, or the hybrid's network.
     */
    public LearnerConfig modelConfig() {
        return learnerChoice.modelConfig(learner);
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
