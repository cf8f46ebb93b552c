package io.rnnstreams.replay;

import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file with a sensor column: header {@code timestamp,sensor,<channel>...}, then one reading a row
 * ({@code 2016-07-01T00:00:00Z,pump-7,1.5,20.25}). The timestamp is epoch milliseconds or ISO-8601 (see
 * {@link FieldParsers#parseTimestamp}); the channel names are free and every row has one value per channel.
 */
public final class CsvReadingSource extends AbstractCsvReadingSource {
    /** Name of the first column. */
    public static final String TIMESTAMP_COLUMN = "timestamp";
    /** Name of the second column; its presence tells this layout from the wide one. */
    public static final String SENSOR_COLUMN = "sensor";

    private final List<String> channels;
    /** Every reading's tags: {@code channels} = the header's channel names, comma-separated. */
    private final java.util.Map<String, String> channelTags;
    private final String expected;

    CsvReadingSource(CsvInput in) throws ReplayException {
        super(in);
        List<String> header = in.header;
        if (header.size() < 2 || !header.get(0).toLowerCase(Locale.ROOT).equals(TIMESTAMP_COLUMN)
                || !header.get(1).toLowerCase(Locale.ROOT).equals(SENSOR_COLUMN)) {
            throw ReplayException.input(in.file + ":" + in.headerLine + ": the header of a CSV file with a sensor "
                    + "column must start with timestamp,sensor; found " + String.join(",", header));
        }
        if (header.size() < 3) {
            throw ReplayException.input(in.file + ":" + in.headerLine + ": the header names no channel after "
                    + "timestamp,sensor");
        }
        channels = List.copyOf(header.subList(2, header.size()));
        channelTags = java.util.Map.of("channels", String.join(",", channels));
        expected = "timestamp, sensor and " + channels.size() + (channels.size() == 1 ? " channel" : " channels");
    }

    /** Whether a header is this layout's: its second column is named {@code sensor} (any case). */
    static boolean isLongLayout(List<String> header) {
        return header.size() >= 2 && header.get(1).toLowerCase(Locale.ROOT).equals(SENSOR_COLUMN);
    }

    @Override
    public String describe() {
        return "CSV with a sensor column, " + channels.size() + (channels.size() == 1 ? " channel" : " channels");
    }

    @Override
    public List<String> channels() {
        return channels;
    }

    @Override
    String expectedColumns() {
        return expected;
    }

    @Override
    SourceRow parseRest(CSVRecord record, long line, long eventTime) {
        String sensor = record.get(1);
        if (sensor.isBlank()) {
            return bad(line, "empty sensor id");
        }
        double[] values = new double[channels.size()];
        SourceRow.Bad bad = parseValues(record, 2, line, values);
        if (bad != null) {
            return bad;
        }
        return new SourceRow.Reading(file(), line, sensor, eventTime, values, channelTags);
    }
}
