package io.rnnstreams.replay;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * The Avro object container layout that {@code replay} reads: one record a reading, with the sensor id in it,
 * since SensorReading has none (the topic carries it in the key). {@link #SCHEMA}:
 *
 * <pre>
 * {"type": "record", "name": "ReplayReading", "namespace": "io.rnnstreams.replay", "fields": [
 *   {"name": "sensor",    "type": "string"},
 *   {"name": "eventTime", "type": {"type": "long", "logicalType": "timestamp-millis"}},
 *   {"name": "values",    "type": {"type": "array", "items": "double"}},
 *   {"name": "tags",      "type": {"type": "map", "values": "string"}, "default": {}}]}
 * </pre>
 *
 * <p>Any record schema with these field names is read (the record's name does not matter, other fields are
 * ignored, {@code tags} may be left out): {@code sensor} a string, {@code eventTime} a long (epoch milliseconds,
 * UTC), {@code values} an array of double (float, int and long items are widened), each of them optionally a
 * union with null, in which case a record holding a null is a bad row. Written with {@link Writer}.
 */
public final class ReplayAvro {
    /** The schema {@link Writer} writes. */
    public static final Schema SCHEMA = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"ReplayReading\","
            + " \"namespace\": \"io.rnnstreams.replay\", \"doc\": \"One reading of one sensor, for rnn-streams replay.\","
            + " \"fields\": ["
            + "{\"name\": \"sensor\", \"type\": \"string\", \"doc\": \"The sensor id: the record key on the topic.\"},"
            + "{\"name\": \"eventTime\", \"type\": {\"type\": \"long\", \"logicalType\": \"timestamp-millis\"},"
            + " \"doc\": \"Event time in milliseconds since the Unix epoch (UTC).\"},"
            + "{\"name\": \"values\", \"type\": {\"type\": \"array\", \"items\": \"double\"},"
            + " \"doc\": \"The channel values.\"},"
            + "{\"name\": \"tags\", \"type\": {\"type\": \"map\", \"values\": \"string\"}, \"default\": {},"
            + " \"doc\": \"SensorReading tags.\"}]}");

    private ReplayAvro() {
    }

    /** Writes readings to a new Avro container file with {@link #SCHEMA} (deflate-compressed). */
    public static final class Writer implements Closeable {
        private final DataFileWriter<GenericRecord> writer;

        public Writer(Path file) throws IOException {
            writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA, GenericData.get()));
            writer.setCodec(CodecFactory.deflateCodec(6));
            writer.create(SCHEMA, file.toFile());
        }

        /** Appends one reading. */
        public void write(String sensor, long eventTime, double[] values, Map<String, String> tags) throws IOException {
            GenericRecord r = new GenericData.Record(SCHEMA);
            r.put("sensor", sensor);
            r.put("eventTime", eventTime);
            List<Double> list = new ArrayList<>(values.length);
            for (double v : values) {
                list.add(v);
            }
            r.put("values", list);
            r.put("tags", tags == null ? Map.of() : tags);
            writer.append(r);
        }

        /** Appends one reading without tags. */
        public void write(String sensor, long eventTime, double... values) throws IOException {
            write(sensor, eventTime, values, Map.of());
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }
}
