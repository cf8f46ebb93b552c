package io.rnnstreams.avro;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * A {@link SensorReading}'s Avro binary encoding read straight from the message's bytes, as Avro's
 * {@code SpecificDatumReader} reads a message written with the current schema, without its per-value dispatch on the
 * schema (the resolving decoder's parser, the logical type's conversion lookup, the boxing of each value). The stream
 * decodes one reading per record, and that dispatch made most of the decoding's time.
 *
 * <p>It is a shortcut, never a judge: {@link #read} returns the record only when the bytes are a well-formed
 * encoding of the schema of fingerprint {@link #SCHEMA_FINGERPRINT} in the forms a writer produces (block counts
 * and lengths as non-negative varints of at most four bytes, at most {@value #MAX_ITEMS} channels and tags, no byte
 * after the record, Avro's own collection and string length limits met), and {@code null} for anything else, so that
 * {@link SingleObjectCodec} decodes those bytes with Avro's reader: whatever Avro accepts but this reader does not
 * comes out the same, and every refusal keeps Avro's exception and so the codec's {@link UndecodableRecordException}
 * reason and message. What it returns equals what Avro's reader returns for the same bytes, field by field: the event
 * time by {@link Instant#ofEpochMilli} (Avro's {@code timestamp-millis} conversion), the values in Avro's
 * primitive-backed {@link PrimitivesArrays.DoubleArray} (the doubles' bits as written; Avro's reader makes an equal
 * {@code GenericData.Array} of boxed doubles, so the validator reads them without boxing), the tags in a
 * {@link HashMap} created with the initial capacity Avro's reader gives it (its fast reader, Avro's default: the
 * default capacity; else the first block's count, at most 1,024) and filled in the message's order (so it iterates
 * as Avro's does; a repeated key keeps its last value), strings decoded from UTF-8 as
 * Avro does (malformed bytes replaced). {@code SingleObjectCodecTest} checks this on random readings and on
 * corrupted ones.
 *
 * <p>Thread-safe: it holds no state.
 */
final class SensorReadingReader {
    /** CRC-64-AVRO fingerprint of the parsing canonical form of the schema this reader reads. */
    static final long SCHEMA_FINGERPRINT = 0xd124b7d5612260e7L;
    /** The most channels, and the most tags, that this reader reads; more go to Avro's reader. */
    static final int MAX_ITEMS = 1024;
    private static final org.apache.avro.Schema VALUES = SensorReading.getClassSchema().getField("values").schema();

    private SensorReadingReader() {
    }

    /**
     * The reading encoded in {@code message} from {@code offset} to its end, or {@code null} if this reader leaves
     * those bytes to Avro's reader (see the class comment). {@code fastReader}: whether the model's reader that this
     * one stands in for is Avro's fast reader ({@link org.apache.avro.generic.GenericData#isFastReaderEnabled()}).
     */
    static SensorReading read(byte[] message, int offset, boolean fastReader) {
        Cursor in = new Cursor(message, offset);
        try {
            long eventTime = in.zigZag(in.varLong());
            PrimitivesArrays.DoubleArray values = doubles(in);
            if (values == null) {
                return null;
            }
            Map<String, String> tags = tags(in, fastReader);
            if (tags == null || in.position != message.length) {
                return null;
            }
            return new SensorReading(Instant.ofEpochMilli(eventTime), values, tags);
        } catch (RuntimeException e) { // past the end, a limit: Avro's reader says what
            return null;
        }
    }

    private static PrimitivesArrays.DoubleArray doubles(Cursor in) {
        int count = in.count(0);
        if (count < 0) {
            return null;
        }
        PrimitivesArrays.DoubleArray values =
                new PrimitivesArrays.DoubleArray(GenericDatumReader.initialCollectionCapacity(count), VALUES);
        int total = 0;
        while (count > 0) {
            for (int i = 0; i < count; i++) {
                values.add(total + i, Double.longBitsToDouble(in.fixedLong()));
            }
            total += count;
            count = in.count(total);
            if (count < 0) {
                return null;
            }
        }
        return values;
    }

    private static Map<String, String> tags(Cursor in, boolean fastReader) {
        int count = in.count(0);
        if (count < 0) {
            return null;
        }
        Map<String, String> tags = fastReader ? new HashMap<>()
                : new HashMap<>(GenericDatumReader.initialCollectionCapacity(count));
        int total = 0;
        while (count > 0) {
            for (int i = 0; i < count; i++) {
                String key = in.string();
                String value = in.string();
                if (key == null || value == null) {
                    return null;
                }
                tags.put(key, value);
            }
            total += count;
            count = in.count(total);
            if (count < 0) {
                return null;
            }
        }
        return tags;
    }

    /** A position in the message; reading past its end throws {@link ArrayIndexOutOfBoundsException}. */
    private static final class Cursor {
        private final byte[] bytes;
        private int position;

        Cursor(byte[] bytes, int position) {
            this.bytes = bytes;
            this.position = position;
        }

        /** A varint of up to ten bytes as Avro's {@code readLong} reads it (no zig-zag), or throws. */
        long varLong() {
            long value = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                int b = bytes[position++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("a varint longer than ten bytes");
        }

        long zigZag(long n) {
            return (n >>> 1) ^ -(n & 1);
        }

        /**
         * A length or block count: a zig-zag varint of at most four bytes, non-negative; -1 if it is not one
         * (a negative block count, which a byte size follows, or a longer varint).
         */
        int small() {
            int value = 0;
            for (int shift = 0; shift < 28; shift += 7) {
                int b = bytes[position++];
                value |= (b & 0x7F) << shift;
                if (b >= 0) {
                    return (value & 1) == 0 ? value >>> 1 : -1;
                }
            }
            return -1;
        }

        /** A block count after {@code before} items, within Avro's limit and {@link #MAX_ITEMS}, or -1. */
        int count(int before) {
            int count = small();
            if (count < 0 || before + count > MAX_ITEMS) {
                return -1;
            }
            SystemLimitException.checkMaxCollectionLength(before, count);
            return count;
        }

        /** Eight bytes, little-endian. */
        long fixedLong() {
            int p = position;
            if (p + 8 > bytes.length) {
                throw new ArrayIndexOutOfBoundsException(p + 8);
            }
            long value = 0;
            for (int i = 7; i >= 0; i--) {
                value = (value << 8) | (bytes[p + i] & 0xFF);
            }
            position = p + 8;
            return value;
        }

        /** A string, or null if its length is not a {@link #small} one. */
        String string() {
            int length = small();
            if (length < 0) {
                return null;
            }
            SystemLimitException.checkMaxStringLength(length);
            if (length > bytes.length - position) {
                throw new ArrayIndexOutOfBoundsException(position + length);
            }
            String s = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return s;
        }
    }
}
