package io.rnnstreams.avro;

import io.rnnstreams.avro.UndecodableRecordException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Encodes one generated Avro record class to and from Avro
 * <a href="https://avro.apache.org/docs/1.12.0/specification/#single-object-encoding">single-object
 * encoding</a>: the magic bytes {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of the
 * writer schema's parsing canonical form, then the record's Avro binary encoding. The header tells a
 * reader which schema wrote a message, so state written by an older release is decoded with that
 * release's schema and resolved to the current one.
 *
 * <p>Encoding writes exactly the bytes of Avro's {@link BinaryMessageEncoder} (the header, then Avro's datum writer
 * on a binary encoder), so they are what Avro's {@link BinaryMessageDecoder} (and the generated classes'
 * {@code getDecoder()}) read; it runs on a per-thread reused buffer ({@link MessageBuffer}) and buffered binary
 * encoder, writes arrays of doubles by index and heap bytes from their arrays ({@link ShortPathDatumWriter}) and a
 * {@link Prediction} field by field ({@link PredictionWriter}),
 * where Avro's encoder writes byte by byte into a synchronized {@code ByteArrayOutputStream} (measured:
 * {@code MessageEncodingBenchmark}). Decoding reads
 * the same format, a {@link SensorReading} of the current schema first through {@link SensorReadingReader} (the
 * same record as Avro's reader makes, straight from the bytes; what it leaves, Avro's reader decodes), and is strict
 * where {@code BinaryMessageDecoder} is not: every failure is an
 * {@link UndecodableRecordException} with a {@link Reason}, bytes after the record are rejected, and a
 * length prefix larger than the message is rejected before anything is allocated (Avro's
 * {@code BinaryMessageDecoder} reads through a stream that cannot bound it, so a corrupt prefix could
 * make it allocate up to 2 GB).
 *
 * <p>Avro 1.12 refuses to instantiate classes it has not been told to trust
 * ({@link ClassSecurityValidator}), which includes generated record classes. Creating a codec adds
 * its record class, and the class of every named type inside its schema, to the trusted classes
 * ({@link TrustedClasses}; the generated classes also do so themselves when loaded).
 *
 * <p>Instances are thread-safe and meant to be created once per record class and shared: datum writers and readers
 * are reused across calls, binary encoders, their output buffers and binary decoders per thread. No Kafka
 * types are involved; a Kafka {@code Serde} wraps this class.
 *
 * @param <T> the generated record class
 */
public final class SingleObjectCodec<T extends SpecificRecord> {
    /** Length of the single-object header: 2 magic bytes and an 8-byte fingerprint. */
    public static final int HEADER_LENGTH = 10;
    private static final byte MAGIC_0 = (byte) 0xC3;
    private static final byte MAGIC_1 = (byte) 0x01;
    private static final ThreadLocal<BinaryDecoder> DECODER = new ThreadLocal<>();
    private static final ThreadLocal<Output> OUTPUT = ThreadLocal.withInitial(Output::new);

    private final Schema schema;
    private final SpecificData model;
    /** The single-object header of the current schema: magic, then the fingerprint little-endian. */
    private final byte[] header;
    private final DatumWriter<T> writer;
    /** The current schema's fingerprint and reader: nearly every message's, looked up without boxing the key. */
    private final long currentFingerprint;
    private final DatumReader<T> currentReader;
    /** Whether {@link SensorReadingReader} reads this codec's messages of the current schema before Avro's reader. */
    private final boolean sensorReadings;
    private final Map<Long, DatumReader<T>> readersByFingerprint = new ConcurrentHashMap<>();

    private SingleObjectCodec(Class<T> type) {
        this.model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        TrustedClasses.trust(schema);
        ClassSecurityValidator.validate(type); // fails here, not on the first record, if still untrusted
        this.header = header(fingerprint(schema));
        this.writer = datumWriter(type, schema, model);
        this.currentFingerprint = fingerprint(schema);
        this.currentReader = reader(schema);
        this.sensorReadings = type == SensorReading.class
                && currentFingerprint == SensorReadingReader.SCHEMA_FINGERPRINT;
        readersByFingerprint.put(currentFingerprint, currentReader);
    }

    /**
     * The writer of {@code type}'s records: the {@link Prediction}'s own ({@link PredictionWriter}, one per reading)
     * while its schema is the one that writer knows, else Avro's ({@link ShortPathDatumWriter}).
     */
    @SuppressWarnings("unchecked")
    private static <T> DatumWriter<T> datumWriter(Class<T> type, Schema schema, SpecificData model) {
        if (type == Prediction.class && fingerprint(schema) == PredictionWriter.SCHEMA_FINGERPRINT) {
            return (DatumWriter<T>) new PredictionWriter();
        }
        return new ShortPathDatumWriter<>(schema, model);
    }

    /** The writer {@link #encode} uses (for tests). */
    DatumWriter<T> datumWriter() {
        return writer;
    }

    /** A codec for the generated class {@code type}, which reads and writes with the class's schema. */
    public static <T extends SpecificRecord> SingleObjectCodec<T> of(Class<T> type) {
        return new SingleObjectCodec<>(type);
    }

    /** The current (reader and writer) schema: the generated class's schema. */
    public Schema schema() {
        return schema;
    }

    /** CRC-64-AVRO fingerprint of the schema's parsing canonical form, as the header carries it. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /**
     * Registers an older writer schema, so that messages written with it decode (resolved to the
     * current schema, fields missing from the writer taking their defaults). Registering a schema
     * whose fingerprint is already known has no effect.
     *
     * @return this codec
     * @throws IllegalArgumentException if data written with {@code writerSchema} cannot be read with
     *                                  the current schema (the message lists the incompatibilities)
     */
    public SingleObjectCodec<T> addWriterSchema(Schema writerSchema) {
        SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(schema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new IllegalArgumentException("records written with " + writerSchema.getFullName()
                    + " schema fingerprint " + hex(fingerprint(writerSchema)) + " cannot be read as "
                    + schema.getFullName() + ": " + compatibility.getResult().getIncompatibilities());
        }
        readersByFingerprint.computeIfAbsent(fingerprint(writerSchema), fp -> reader(writerSchema));
        return this;
    }

    /**
     * Encodes {@code record} as a single-object message written with the current schema.
     *
     * @return a new array: header followed by the record's Avro binary encoding
     * @throws NullPointerException or {@link org.apache.avro.AvroRuntimeException} if the record does
     *                              not conform to the schema (e.g. a required field is null)
     */
    public byte[] encode(T record) {
        Output output = OUTPUT.get();
        BinaryEncoder encoder = output.encoder;
        try {
            encoder.flush(); // what an encode that failed half-way left in the encoder goes before the reset
            output.buffer.reset();
            output.buffer.write(header, 0, HEADER_LENGTH);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding " + schema.getFullName() + " failed", e);
        }
        return output.buffer.toByteArray();
    }

    /** One thread's encoding scratch: the buffer messages are written into and the binary encoder writing it. */
    private static final class Output {
        final MessageBuffer buffer = new MessageBuffer();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, null);
    }

    private static byte[] header(long fingerprint) {
        byte[] header = new byte[HEADER_LENGTH];
        header[0] = MAGIC_0;
        header[1] = MAGIC_1;
        for (int i = 2; i < HEADER_LENGTH; i++) { // little-endian
            header[i] = (byte) (fingerprint >>> (8 * (i - 2)));
        }
        return header;
    }

    /**
     * Decodes a whole single-object message into a new record of the current schema. Messages written
     * with an older registered schema are resolved: fields it lacks take their defaults. The record
     * shares no memory with {@code message}.
     *
     * @throws UndecodableRecordException if {@code message} is shorter than the header or lacks the
     *         magic ({@link Reason#BAD_HEADER}), names a writer schema that is neither the current one
     *         nor registered with {@link #addWriterSchema} ({@link Reason#UNKNOWN_SCHEMA}), ends inside
     *         the record ({@link Reason#TRUNCATED}), is not a valid encoding of the writer schema
     *         ({@link Reason#MALFORMED}), or has bytes after the record ({@link Reason#TRAILING_BYTES})
     * @throws NullPointerException if {@code message} is null
     */
    public T decode(byte[] message) {
        return decode(message, true);
    }

    /** {@link #decode(byte[])}, or with Avro's reader only when {@code shortcut} is false (for tests). */
    T decode(byte[] message, boolean shortcut) {
        if (message.length < HEADER_LENGTH) {
            throw new UndecodableRecordException(Reason.BAD_HEADER, "a single-object message has a "
                    + HEADER_LENGTH + "-byte header, got only " + message.length + " bytes");
        }
        if (message[0] != MAGIC_0 || message[1] != MAGIC_1) {
            throw new UndecodableRecordException(Reason.BAD_HEADER, String.format(
                    "not a single-object message: starts with 0x%02X 0x%02X, expected 0xC3 0x01",
                    message[0], message[1]));
        }
        long fingerprint = 0;
        for (int i = HEADER_LENGTH - 1; i >= 2; i--) { // little-endian
            fingerprint = (fingerprint << 8) | (message[i] & 0xFF);
        }
        DatumReader<T> reader = fingerprint == currentFingerprint ? currentReader
                : readersByFingerprint.get(fingerprint);
        if (reader == null) {
            throw new UndecodableRecordException(Reason.UNKNOWN_SCHEMA, "no " + schema.getFullName()
                    + " writer schema with fingerprint " + hex(fingerprint) + " is known (current schema: "
                    + hex(fingerprint(schema)) + ")");
        }
        if (shortcut && sensorReadings && fingerprint == currentFingerprint) {
            @SuppressWarnings("unchecked")
            T reading = (T) SensorReadingReader.read(message, HEADER_LENGTH, model.isFastReaderEnabled());
            if (reading != null) {
                return reading;
            }
        }
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(message, HEADER_LENGTH, message.length - HEADER_LENGTH, DECODER.get());
        DECODER.set(decoder);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (SecurityException e) {
            throw e; // a configuration problem, not a property of these bytes
        } catch (EOFException e) {
            throw new UndecodableRecordException(Reason.TRUNCATED, "the " + schema.getFullName()
                    + " record ends early: " + (message.length - HEADER_LENGTH) + " body bytes", e);
        } catch (IOException | RuntimeException e) {
            throw new UndecodableRecordException(Reason.MALFORMED, "the body is not a valid "
                    + schema.getFullName() + " encoding: " + e, e);
        }
        int trailing = trailingBytes(decoder);
        if (trailing != 0) {
            throw new UndecodableRecordException(Reason.TRAILING_BYTES, trailing + " bytes follow the "
                    + schema.getFullName() + " record");
        }
        return record;
    }

    private DatumReader<T> reader(Schema writerSchema) {
        @SuppressWarnings("unchecked")
        DatumReader<T> reader = (DatumReader<T>) model.createDatumReader(writerSchema, schema);
        return reader;
    }

    private static int trailingBytes(BinaryDecoder decoder) {
        try {
            return decoder.isEnd() ? 0 : Math.max(1, decoder.remainingBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the source is an array
        }
    }

    private static String hex(long fingerprint) {
        return String.format("0x%016X", fingerprint);
    }
}
