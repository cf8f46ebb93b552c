package io.rnnstreams.stream.registry;

import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import io.rnnstreams.avro.UndecodableRecordException;
import io.rnnstreams.avro.UndecodableRecordException.Reason;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Apicurio's Avro datum provider, except that every writer schema is read into one generated class, the
 * one named by the {@value #READER_CLASS} entry of the serde configuration, instead of the class that the
 * writer schema's name would load. A writer schema of a record with another name is refused with
 * {@link UndecodableRecordException} (UNKNOWN_SCHEMA) before any class is looked up, so a message whose
 * schema id points at, say, a Prediction is not turned into one. Writing is Apicurio's.
 */
public final class ClassReaderDatumProvider<T> extends DefaultAvroDatumProvider<T> {
    /** Configuration entry: the fully qualified name of the generated class to read into. */
    public static final String READER_CLASS = "rnnstreams.registry.reader-class";

    private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private Schema readerSchema;
    private SpecificData model;

    @Override
    public void configure(AvroSerdeConfig config) {
        super.configure(config);
        Object name = config.originals().get(READER_CLASS);
        if (name == null) {
            throw new IllegalArgumentException(READER_CLASS + " must name the generated class to read into");
        }
        try {
            Class<?> type = Class.forName(name.toString(), true, ClassReaderDatumProvider.class.getClassLoader());
            this.model = SpecificData.getForClass(type);
            this.readerSchema = model.getSchema(type);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(READER_CLASS + "=" + name + " is not a class on the class path", e);
        }
    }

    @Override
    public DatumReader<T> createDatumReader(Schema writerSchema) {
        if (!writerSchema.getFullName().equals(readerSchema.getFullName())) {
            throw new UndecodableRecordException(Reason.UNKNOWN_SCHEMA, "the writer schema is a "
                    + writerSchema.getFullName() + ", not a " + readerSchema.getFullName());
        }
        return readers.computeIfAbsent(writerSchema,
                writer -> new SpecificDatumReader<>(writer, readerSchema, model));
    }
}
