package io.rnnstreams.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableFileInput;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * An Avro object container file in the {@link ReplayAvro} layout, read with a {@link GenericDatumReader} and the
 * file's own schema. Line numbers are 1-based record numbers. The layout is checked when the file is opened.
 */
public final class AvroReadingSource implements ReadingSource {
    private final Path file;
    private final SeekableFileInput input;
    private final DataFileReader<GenericRecord> reader;
    private final int sensorField;
    private final int timeField;
    private final int valuesField;
    private final int tagsField;
    private long record;
    private boolean finished;
    private GenericRecord reuse;

    AvroReadingSource(Path file) throws IOException, ReplayException {
        this.file = file;
        this.input = new SeekableFileInput(file.toFile());
        DataFileReader<GenericRecord> r;
        try {
            r = new DataFileReader<>(input, new GenericDatumReader<>(null, null, new GenericData()));
        } catch (IOException | AvroRuntimeException e) {
            input.close();
            throw ReplayException.input(file + ": not a readable Avro container file: " + e.getMessage());
        }
        this.reader = r;
        try {
            Schema schema = reader.getSchema();
            if (schema.getType() != Schema.Type.RECORD) {
                throw layout("the file's schema is a " + schema.getType() + ", not a record");
            }
            sensorField = field(schema, "sensor", true, Schema.Type.STRING);
            timeField = field(schema, "eventTime", true, Schema.Type.LONG);
            valuesField = field(schema, "values", true, Schema.Type.ARRAY);
            Schema items = nonNull(schema.getFields().get(valuesField).schema()).getElementType();
            Schema.Type itemType = nonNull(items).getType();
            if (itemType != Schema.Type.DOUBLE && itemType != Schema.Type.FLOAT && itemType != Schema.Type.INT
                    && itemType != Schema.Type.LONG) {
                throw layout("field values must be an array of double, found an array of " + itemType);
            }
            tagsField = field(schema, "tags", false, Schema.Type.MAP);
        } catch (ReplayException e) {
            reader.close();
            throw e;
        }
    }

    private ReplayException layout(String problem) {
        return ReplayException.input(file + ": " + problem + "; an Avro file for replay holds records with fields "
                + "sensor (string), eventTime (long, timestamp-millis), values (array of double) and optionally tags "
                + "(map of string)");
    }

    /** The position of the named field after checking its type (the branch of a union with null counts). */
    private int field(Schema schema, String name, boolean required, Schema.Type type) throws ReplayException {
        Schema.Field f = schema.getField(name);
        if (f == null) {
            if (required) {
                throw layout("the record " + schema.getFullName() + " has no field " + name);
            }
            return -1;
        }
        Schema s = nonNull(f.schema());
        if (s.getType() != type || type == Schema.Type.MAP && nonNull(s.getValueType()).getType() != Schema.Type.STRING) {
            throw layout("field " + name + " has type " + f.schema() + ", expected " + type.getName()
                    + (type == Schema.Type.MAP ? " of string" : ""));
        }
        return f.pos();
    }

    /** The only non-null branch of a union with null, or the schema itself. */
    private static Schema nonNull(Schema s) {
        if (s.getType() != Schema.Type.UNION) {
            return s;
        }
        Schema found = null;
        for (Schema branch : s.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                if (found != null) {
                    return s; // a union of several types: reported as a wrong type
                }
                found = branch;
            }
        }
        return found == null ? s : found;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String describe() {
        return "Avro container file, schema " + reader.getSchema().getFullName();
    }

    @Override
    public List<String> channels() {
        return List.of();
    }

    @Override
    public SourceRow next() throws IOException {
        if (finished) {
            return null;
        }
        GenericRecord r;
        try {
            if (!reader.hasNext()) {
                finished = true;
                return truncation();
            }
            record++;
            r = reader.next(reuse);
            reuse = r;
        } catch (IOException | RuntimeException e) {
            // AvroRuntimeException for a bad sync marker or codec data; others from corrupt lengths and values
            finished = true;
            return new SourceRow.Bad(file, record, "corrupt Avro data (" + Replayer.message(e)
                    + "); the rest of the file is skipped");
        }
        Object sensor = r.get(sensorField);
        if (sensor == null) {
            return bad("null sensor id");
        }
        String id = sensor.toString();
        if (id.isBlank()) {
            return bad("empty sensor id");
        }
        Object time = r.get(timeField);
        long eventTime;
        if (time instanceof Long l) {
            eventTime = l;
        } else if (time instanceof Instant i) {
            eventTime = i.toEpochMilli();
        } else {
            return bad("null eventTime");
        }
        Object v = r.get(valuesField);
        if (!(v instanceof List<?> list)) {
            return bad("null values");
        }
        double[] values = new double[list.size()];
        for (int i = 0; i < values.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                return bad("null in values at index " + i);
            }
            values[i] = n.doubleValue();
        }
        Map<String, String> tags = null;
        if (tagsField >= 0 && r.get(tagsField) instanceof Map<?, ?> m && !m.isEmpty()) {
            Map<String, String> copy = new HashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() == null) {
                    return bad("null value of tag " + e.getKey());
                }
                copy.put(e.getKey().toString(), e.getValue().toString());
            }
            tags = copy;
        }
        return new SourceRow.Reading(file, record, id, eventTime, values, tags);
    }

    /**
     * At the end: a bad row when the last complete block does not end the file. Avro's reader treats a block
     * cut short as the end of the file, which would lose its records without a word.
     */
    private SourceRow.Bad truncation() throws IOException {
        long end = input.length();
        long lastBlockEnd = reader.previousSync();
        if (lastBlockEnd >= end) {
            return null;
        }
        return new SourceRow.Bad(file, record + 1, "the file ends inside a data block (truncated?): the "
                + (end - lastBlockEnd) + " bytes after byte " + lastBlockEnd + " hold no complete block, and the "
                + "records in them are lost");
    }

    private SourceRow.Bad bad(String reason) {
        return new SourceRow.Bad(file, record, reason);
    }

    @Override
    public long bytesRead() {
        try {
            return reader.tell();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
