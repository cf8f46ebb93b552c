package io.rnnstreams.replay;

import java.util.List;
import org.apache.commons.csv.CSVRecord;

/**
 * A wide CSV file, such as ETTh1 ({@code date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT}): the first column is the time
 * (any name), every other column a channel, and every row one multi-channel reading of a single sensor, whose id
 * is given ({@code --sensor-id}) or else the file name without its extensions ({@code ETTh1.csv} gives
 * {@code ETTh1}).
 */
public final class WideCsvReadingSource extends AbstractCsvReadingSource {
    private final List<String> channels;
    /** Every reading's tags: {@code channels} = the header's channel names, comma-separated. */
    private final java.util.Map<String, String> channelTags;
    private final String sensor;
    private final String expected;

    WideCsvReadingSource(CsvInput in, String sensorId) throws ReplayException {
        super(in);
        List<String> header = in.header;
        if (header.size() < 2) {
            throw ReplayException.input(in.file + ":" + in.headerLine + ": the header of a wide CSV file needs a "
                    + "time column and at least one channel; found " + String.join(",", header));
        }
        channels = List.copyOf(header.subList(1, header.size()));
        channelTags = java.util.Map.of("channels", String.join(",", channels));
        sensor = sensorId != null ? sensorId : defaultSensorId(in.file);
        if (sensor.isBlank()) {
            throw ReplayException.input(in.file + ": empty sensor id; give one with --sensor-id");
        }
        expected = header.get(0) + " and " + channels.size() + (channels.size() == 1 ? " channel" : " channels");
    }

    /** The file name without its extensions: {@code ETTh1.csv.gz} gives {@code ETTh1}. */
    static String defaultSensorId(java.nio.file.Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The sensor id every reading of this file gets. */
    public String sensor() {
        return sensor;
    }

    @Override
    public String describe() {
        return "wide CSV, sensor " + sensor + ", " + channels.size() + (channels.size() == 1 ? " channel" : " channels");
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
        double[] values = new double[channels.size()];
        SourceRow.Bad bad = parseValues(record, 1, line, values);
        if (bad != null) {
            return bad;
        }
        return new SourceRow.Reading(file(), line, sensor, eventTime, values, channelTags);
    }
}
