package io.rnnstreams.tail;

import java.util.Objects;
import java.util.Set;

/**
 * What {@link Tail} reads and how it prints it. Validated on construction.
 *
 * @param predictionsTopic the predictions topic (its values in the configuration's {@code rnn.format.output})
 * @param deadLetterTopic  the dead-letter topic, or null to leave dead letters out
 * @param sensors          only records whose key is one of these; empty: every sensor
 * @param fromStart        start at each partition's earliest offset; else at its end (only new records)
 * @param follow           keep waiting for new records until stopped; else stop at the end offsets seen at the
 *                         start
 * @param output           JSON lines or an aligned table
 * @param maxRecords       stop after printing this many records; 0: no limit
 * @param laggedTopic      the lagged outputs' topic ({@code LaggedOutput}, {@code rnn.smoothing.lag > 0}), or null to
 *                         leave them out
 */
public record TailOptions(String predictionsTopic, String deadLetterTopic, Set<String> sensors, boolean fromStart,
                          boolean follow, Output output, long maxRecords, String laggedTopic) {
    /** Without the lagged topic. */
    public TailOptions(String predictionsTopic, String deadLetterTopic, Set<String> sensors, boolean fromStart,
                       boolean follow, Output output, long maxRecords) {
        this(predictionsTopic, deadLetterTopic, sensors, fromStart, follow, output, maxRecords, null);
    }

    /** How records are printed. */
    public enum Output {
        /** One JSON object per line ({@link TailLines#json}). */
        JSON,
        /** An aligned, human-readable table ({@link TailLines#table}). */
        TABLE
    }

    public TailOptions {
        Objects.requireNonNull(predictionsTopic, "predictionsTopic");
        Objects.requireNonNull(output, "output");
        sensors = Set.copyOf(sensors);
        if (maxRecords < 0) {
            throw new IllegalArgumentException("--max must be >= 0 (0: no limit), got " + maxRecords);
        }
        if (!fromStart && !follow) {
            throw new IllegalArgumentException("reading from the end without --follow prints nothing: use --follow, "
                    + "or --from start");
        }
    }

    /** Whether a record of sensor {@code key} is printed. */
    boolean accepts(String key) {
        return sensors.isEmpty() || sensors.contains(key);
    }
}
