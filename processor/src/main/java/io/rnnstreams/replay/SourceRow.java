package io.rnnstreams.replay;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One row of an input file as a {@link ReadingSource} yields it: either a {@link Reading} that becomes one
 * record, or a {@link Bad} row that cannot be turned into a SensorReading, with the reason.
 */
public sealed interface SourceRow permits SourceRow.Reading, SourceRow.Bad {

    /** The file the row came from. */
    Path file();

    /** The 1-based line of the row (CSV: the physical line it starts on) or record number (Avro). */
    long line();

    /**
     * A row that becomes one SensorReading of sensor {@code sensor}. Values are passed on as they are:
     * non-finite ones included (the processor dead-letters them).
     *
     * @param eventTime event time in milliseconds since the Unix epoch (UTC)
     * @param values    the channel values, in the file's channel order
     * @param tags      the SensorReading's tags (for CSV input: {@code channels}, the header's channel names)
     */
    record Reading(Path file, long line, String sensor, long eventTime, double[] values, Map<String, String> tags)
            implements SourceRow {
        public Reading {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(sensor, "sensor");
            Objects.requireNonNull(values, "values");
            tags = tags == null ? Map.of() : tags;
        }
    }

    /** A row that cannot be turned into a SensorReading; {@link #toString()} is {@code FILE:LINE: reason}. */
    record Bad(Path file, long line, String reason) implements SourceRow {
        public Bad {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reason, "reason");
        }

        /** {@code FILE:LINE}. */
        public String location() {
            return file + ":" + line;
        }

        @Override
        public String toString() {
            return location() + ": " + reason;
        }
    }
}
