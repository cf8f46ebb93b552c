package io.rnnstreams.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;
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
 * <p>The sensors recorded at every reading (readings, predictions, updates, restores, the prequential error) are
 * recorded through {@link #record(Sensor, double, long)}, at the record's wall-clock time as the stream thread took
 * it for the task ({@code ProcessorContext#currentSystemTimeMs}, the time Kafka Streams' own task sensors use)
 * instead of a clock read per sensor, and without a quota check (none of these sensors has a quota): the same
 * {@code -total}, {@code -rate}, {@code -avg} and {@code -max} (branch {@code tput18k}).
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
        readings = counter(taskId, "readings");
        predictions = counter(taskId, "predictions");
        updates = counter(taskId, "updates");
        restores = counter(taskId, "restores");
        gapResets = counter(taskId, "gap-resets");
        healthResets = counter(taskId, "health-resets");
        idleRemovals = counter(taskId, "idle-removals");
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, counter(taskId, "dead-letters-" + reason.name().toLowerCase().replace('_', '-')));
        }
        prequentialError = metrics.addSensor(SCOPE + "." + taskId + ".prequential-mse", Sensor.RecordingLevel.INFO);
        Map<String, String> tags = Map.of("task-id", taskId);
        prequentialError.add(new MetricName("prequential-mse-avg", GROUP,
                "recent mean squared forecast error, in units of each channel's running spread", tags), new Avg());
        prequentialError.add(new MetricName("prequential-mse-max", GROUP,
                "recent maximum squared forecast error, in units of each channel's running spread", tags), new Max());
        sensors.add(prequentialError);
    }

    private Sensor counter(String taskId, String operation) {
        Sensor sensor = metrics.addRateTotalSensor(SCOPE, taskId, operation, Sensor.RecordingLevel.INFO);
        sensors.add(sensor);
        return sensor;
    }

    /**
     * Records {@code value} on {@code sensor} at {@code nowMs}, the stream thread's wall-clock time of the record
     * being processed, without a quota check: {@link Sensor#record(double)} but for its own clock read and its quota
     * check, which finds no quota on this class's sensors (so it never throws).
     */
    static void record(Sensor sensor, double value, long nowMs) {
        sensor.record(value, nowMs, false);
    }

    /** Counts one event on {@code sensor} at {@code nowMs} ({@link #record(Sensor, double, long)} of 1). */
    static void count(Sensor sensor, long nowMs) {
        sensor.record(1.0, nowMs, false);
    }

    void deadLetter(DeadLetterReason reason) {
        deadLetters.get(reason).record();
    }

    void close() {
        sensors.forEach(metrics::removeSensor);
    }
}
