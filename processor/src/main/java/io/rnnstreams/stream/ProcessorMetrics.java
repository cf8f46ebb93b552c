package io.rnnstreams.stream;

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
 */
final class ProcessorMetrics {
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

    ProcessorMetrics(StreamsMetrics metrics, String taskId) {
        this.metrics = metrics;
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

    void deadLetter(DeadLetterReason reason) {
        deadLetters.get(reason).record();
    }

    void close() {
        sensors.forEach(metrics::removeSensor);
    }
}
