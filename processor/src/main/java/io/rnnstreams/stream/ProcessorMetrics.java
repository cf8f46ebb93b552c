package io.rnnstreams.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.SampledStat;
import org.apache.kafka.common.metrics.stats.WindowedSum;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The application's per-task metrics, registered with Kafka Streams' metrics registry (so they appear over
 * JMX next to Streams' own, group {@value #GROUP}, tagged with the task id). Counters have a
 * {@code -total} and a {@code -rate} metric: readings, predictions, updates, restores (numerical health),
 * gap-resets, health-resets, idle-removals, and dead-letters per reason ({@code dead-letters-out-of-order},
 * ...). {@code prequential-mse-avg}/{@code -max}: the recent mean and maximum of each prediction's squared
 * error (scaled by the channel's spread, averaged over channels).
 *
 * <p>One more, kept in a Micrometer {@link MeterRegistry} because Kafka's metrics have no histogram type:
 * {@value #PROCESSING_TIME}, the time {@code process()} takes per input record (dead letters included), a
 * histogram with fixed buckets from 50 µs to 1 s, per instance (Prometheus: {@code
 * rnn_reading_processing_seconds_bucket}). Each metric has exactly one home; the HTTP API's {@code /metrics}
 * shows both registries.
 *
 * <p>What happens at every reading (a reading, a prediction, an update, a restore, a prequential error) is counted in
 * plain fields and recorded into the sensors in batches ({@link #flush}): at every commit of the task (the key-state
 * store's flush, {@link PendingWritesStore#atFlush}), by a wall-clock punctuator every second (under
 * {@code at_least_once} a commit may be 30 s away, as long as the rates' window) and when the task closes. A batch
 * is recorded at the wall-clock time of its last reading as the stream thread took it for the task
 * ({@code ProcessorContext#currentSystemTimeMs}, the time Kafka Streams' own task sensors use), without a quota check
 * (none of these sensors has a quota). So the counters count values, not calls: their {@code -rate} is a
 * {@link WindowedSum} rate and their {@code -total} a {@link CumulativeSum}, under the names, tags and descriptions
 * of {@link StreamsMetrics#addRateTotalSensor} (which counts calls: {@code ProcessorMetricsTest} holds the names
 * equal); {@code prequential-mse-avg} is the mean of the readings' errors, not of the batches' means
 * ({@link WeightedAvg}), and {@code -max} the largest reading's. What an operator reads is what per-reading recording
 * gives, at most a second (or a commit) late, the rates' 30 s windows moved by as much (branch {@code tput18m}; one
 * sensor record per reading cost ~2.7 % of the stream thread at H = 16, branch {@code tput18k}'s profile).
 */
public final class ProcessorMetrics {
    static final String SCOPE = "rnn-streams";
    static final String GROUP = "stream-" + SCOPE + "-metrics";

    private final StreamsMetrics metrics;
    private final List<Sensor> sensors = new ArrayList<>();
    final Sensor readings;
    final Sensor predictions;
    final Sensor updates;
    final Sensor restores;
    final Sensor gapResets;
    final Sensor healthResets;
    final Sensor idleRemovals;
    final Sensor prequentialError;
    final Sensor prequentialErrorMax;
    private final WeightedAvg prequentialErrorAvg = new WeightedAvg();
    /** Counted since the last {@link #flush}. */
    private long readingsPending;
    private long predictionsPending;
    private long updatesPending;
    private long restoresPending;
    private long errorsPending;
    private double errorSumPending;
    private double errorMaxPending = Double.NEGATIVE_INFINITY;
    /** The wall-clock time of the last reading counted since the last flush. */
    private long lastReadingMs;
    private final Map<DeadLetterReason, Sensor> deadLetters = new EnumMap<>(DeadLetterReason.class);
    final Timer processingTime;

    /** Where the histogram goes when nobody reads it (tests, backtests): a registry that keeps nothing. */
    public static final MeterRegistry NO_METER_REGISTRY = new CompositeMeterRegistry();
    static final String PROCESSING_TIME = "rnn.reading.processing";
    private static final Duration[] BUCKETS = {Duration.ofNanos(50_000), Duration.ofNanos(100_000),
        Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};

    ProcessorMetrics(StreamsMetrics metrics, String taskId, MeterRegistry meterRegistry) {
        this.metrics = metrics;
        this.processingTime = Timer.builder(PROCESSING_TIME)
                .description("time to process one input record (validate, test, train, forecast, store, emit)")
                .serviceLevelObjectives(BUCKETS)
                .register(meterRegistry);
        Map<String, String> tags = Map.of("task-id", taskId);
        readings = summingCounter(taskId, "readings");
        predictions = summingCounter(taskId, "predictions");
        updates = summingCounter(taskId, "updates");
        restores = summingCounter(taskId, "restores");
        gapResets = counter(taskId, "gap-resets");
        healthResets = counter(taskId, "health-resets");
        idleRemovals = counter(taskId, "idle-removals");
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, counter(taskId, "dead-letters-" + reason.name().toLowerCase().replace('_', '-')));
        }
        prequentialError = metrics.addSensor(SCOPE + "." + taskId + ".prequential-mse", Sensor.RecordingLevel.INFO);
        prequentialError.add(new MetricName("prequential-mse-avg", GROUP,
                "recent mean squared forecast error, in units of each channel's running spread", tags),
                prequentialErrorAvg);
        sensors.add(prequentialError);
        prequentialErrorMax = metrics.addSensor(SCOPE + "." + taskId + ".prequential-mse-max",
                Sensor.RecordingLevel.INFO);
        prequentialErrorMax.add(new MetricName("prequential-mse-max", GROUP,
                "recent maximum squared forecast error, in units of each channel's running spread", tags), new Max());
        sensors.add(prequentialErrorMax);
    }

    /** A counter recorded per event: {@link StreamsMetrics#addRateTotalSensor}'s (rare events, dead letters). */
    private Sensor counter(String taskId, String operation) {
        Sensor sensor = metrics.addRateTotalSensor(SCOPE, taskId, operation, Sensor.RecordingLevel.INFO);
        sensors.add(sensor);
        return sensor;
    }

    /**
     * A counter recorded in batches: {@code operation-rate} and {@code -total} under {@link
     * StreamsMetrics#addRateTotalSensor}'s names, tags and descriptions (group {@value #GROUP}, tags {@code thread-id}
     * and {@code rnn-streams-id}), but summing the recorded values ({@link WindowedSum}, {@link CumulativeSum}) where
     * that counts the calls.
     */
    private Sensor summingCounter(String taskId, String operation) {
        Map<String, String> tags = rateTotalTags(taskId);
        Sensor sensor = metrics.addSensor(SCOPE + "." + taskId + "." + operation, Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(operation + "-rate", GROUP, "The average number of " + operation
                + " operations per second", tags), new Rate(TimeUnit.SECONDS, new WindowedSum()));
        sensor.add(new MetricName(operation + "-total", GROUP, "The total number of " + operation + " operations",
                tags), new CumulativeSum());
        sensors.add(sensor);
        return sensor;
    }

    /** The tags {@link StreamsMetrics#addRateTotalSensor} gives an entity's sensor made on this thread. */
    static Map<String, String> rateTotalTags(String taskId) {
        return Map.of("thread-id", Thread.currentThread().getName(), SCOPE + "-id", taskId);
    }

    /** Counts a reading at {@code nowMs}, the wall-clock time the stream thread took for it. */
    void reading(long nowMs) {
        readingsPending++;
        lastReadingMs = nowMs;
    }

    /** Counts a prediction (of the reading counted last). */
    void prediction() {
        predictionsPending++;
    }

    /** Counts an applied update (of the reading counted last). */
    void update() {
        updatesPending++;
    }

    /** Counts a restore (of the reading counted last). */
    void restore() {
        restoresPending++;
    }

    /** Counts a reading's prequential error (its squared error in spreads, averaged over channels). */
    void prequentialError(double value) {
        errorsPending++;
        errorSumPending += value;
        if (value > errorMaxPending || Double.isNaN(value)) {
            errorMaxPending = value;
        }
    }

    /**
     * Records what was counted since the last flush into the sensors, at the wall-clock time of the last reading
     * counted; nothing if no reading was. Called at every commit, every second and at close, on the stream thread.
     */
    void flush() {
        if (readingsPending == 0) {
            return;
        }
        long now = lastReadingMs;
        readings.record(readingsPending, now, false);
        if (predictionsPending > 0) {
            predictions.record(predictionsPending, now, false);
        }
        if (updatesPending > 0) {
            updates.record(updatesPending, now, false);
        }
        if (restoresPending > 0) {
            restores.record(restoresPending, now, false);
        }
        if (errorsPending > 0) {
            prequentialErrorAvg.weight = errorsPending;
            prequentialError.record(errorSumPending, now, false);
            prequentialErrorMax.record(errorMaxPending, now, false);
        }
        readingsPending = 0;
        predictionsPending = 0;
        updatesPending = 0;
        restoresPending = 0;
        errorsPending = 0;
        errorSumPending = 0.0;
        errorMaxPending = Double.NEGATIVE_INFINITY;
    }

    /**
     * The mean of values recorded in batches: each record is a batch's sum with its count set beforehand
     * ({@link #weight}), so the mean over the recent samples is their values' sum over their counts, what
     * {@link org.apache.kafka.common.metrics.stats.Avg} gives when each value is recorded alone (it divides by the
     * number of records). The weight is set and read on the stream thread (under the sensor's lock for the read).
     */
    static final class WeightedAvg extends SampledStat {
        /** The count of the batch about to be recorded. */
        long weight = 1;

        WeightedAvg() {
            super(0.0);
        }

        @Override
        protected Sample newSample(long timeMs) {
            return new WeightedSample(timeMs);
        }

        @Override
        protected void update(Sample sample, MetricConfig config, double value, long timeMs) {
            sample.value += value;
            ((WeightedSample) sample).weight += weight;
        }

        @Override
        public double combine(List<Sample> samples, MetricConfig config, long now) {
            double total = 0.0;
            long count = 0;
            for (Sample sample : samples) {
                total += sample.value;
                count += ((WeightedSample) sample).weight;
            }
            return count == 0 ? Double.NaN : total / count;
        }

        /** A sample with the count of the values its sum holds. */
        private static final class WeightedSample extends Sample {
            long weight;

            WeightedSample(long timeMs) {
                super(0.0, timeMs);
            }

            @Override
            public void reset(long now) {
                super.reset(now);
                weight = 0;
            }
        }
    }

    void deadLetter(DeadLetterReason reason) {
        deadLetters.get(reason).record();
    }

    /** Records the last batch ({@link #flush}) and removes the sensors. */
    void close() {
        flush();
        sensors.forEach(metrics::removeSensor);
    }
}
