package io.rnnstreams.avro;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * The {@link Prediction}'s single-object message written straight into a byte array: the header, then the record's
 * Avro binary encoding field by field, the bytes Avro's {@code SpecificDatumWriter} writes on a binary encoder
 * (zig-zag varints for ints and longs, doubles as their raw bits little-endian, a boolean as one byte, a string as its
 * UTF-8 length and bytes, an array or a map as one block: its count, if not empty, its items, then 0; a union as the
 * branch's index, then the value) without Avro's per-value dispatch on the schema (the union branches' resolution, the
 * logical types' conversion lookups, the boxing of the record's primitive fields) and without an encoder between: one
 * per-thread scratch array, copied once into the message. The model fingerprint, the same string in every prediction
 * of an application, is UTF-8-encoded once per thread while it stays the same. The stream writes one prediction per
 * reading.
 *
 * <p>It knows one schema: the one of fingerprint {@link #SCHEMA_FINGERPRINT}. {@link SingleObjectCodec} uses it only
 * for that schema (else Avro's writer), and {@code SingleObjectCodecTest} fails when the schema changed without it
 * (then: update the fields below and the fingerprint) and checks its bytes against Avro's writer on random
 * predictions. Field order, unions ({@code previousError}, {@code intervalLevel}: branch 0 null, branch 1 the value)
 * and logical types ({@code timestamp-millis}: epoch milliseconds of the {@link Instant}) follow
 * {@code Prediction.avsc}.
 *
 * <p>A required field left null fails with a {@link NullPointerException}, as with Avro's writer (the message
 * differs). Thread-safe: each thread writes into its own scratch.
 */
final class PredictionWriter {
    /** CRC-64-AVRO fingerprint of the parsing canonical form of the schema this writer writes. */
    static final long SCHEMA_FINGERPRINT = 0x425db31d66c672bfL;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private PredictionWriter() {
    }

    /** {@code header}, then {@code p}'s Avro binary encoding, in a new array of exactly their length. */
    static byte[] encode(byte[] header, Prediction p) {
        Scratch out = SCRATCH.get();
        out.start(header);
        out.writeLong(p.getEventTime().toEpochMilli());
        out.doubles(p.getForecast());
        out.nestedDoubles(p.getHorizon());
        List<Double> previousError = p.getPreviousError();
        if (previousError == null) {
            out.writeLong(0);
        } else {
            out.writeLong(1);
            out.doubles(previousError);
        }
        out.writeDouble(p.getAnomalyScore());
        out.writeLong(p.getReadingsLearned());
        out.fingerprint(p.getModelFingerprint());
        out.writeBoolean(p.getStateReset());
        out.writeBoolean(p.getAnomaly());
        out.writeBoolean(p.getWarmingUp());
        out.doubles(p.getChannelContributions());
        out.times(p.getForecastTimes());
        Double level = p.getIntervalLevel();
        if (level == null) {
            out.writeLong(0);
        } else {
            out.writeLong(1);
            out.writeDouble(level);
        }
        out.nestedDoubles(p.getIntervalLower());
        out.nestedDoubles(p.getIntervalUpper());
        out.strings(p.getChannelNames());
        out.tags(p.getTags());
        return out.message();
    }

    /** One thread's growable array the message is written into, and its last fingerprint's UTF-8 bytes. */
    private static final class Scratch {
        /** Capacity allocated first: a prediction of a few channels fits. */
        private static final int INITIAL_CAPACITY = 1024;
        /** Largest array kept between messages. */
        private static final int KEPT_CAPACITY = 64 * 1024;

        private byte[] bytes = new byte[INITIAL_CAPACITY];
        private int count;
        private String fingerprint;
        private byte[] fingerprintUtf8;

        void start(byte[] header) {
            if (bytes.length > KEPT_CAPACITY) {
                bytes = new byte[INITIAL_CAPACITY];
            }
            count = 0;
            writeFixed(header, 0, header.length);
        }

        byte[] message() {
            return Arrays.copyOf(bytes, count);
        }

        private void ensure(int more) {
            if (bytes.length - count < more) {
                long needed = (long) count + more;
                if (needed > Integer.MAX_VALUE - 8) {
                    throw new OutOfMemoryError("a message beyond 2 GB");
                }
                bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8, 2L * bytes.length)));
            }
        }

        /** Avro's {@code writeLong} (and {@code writeInt}, {@code writeIndex}, counts): a zig-zag varint. */
        void writeLong(long n) {
            ensure(10);
            long z = (n << 1) ^ (n >> 63);
            byte[] b = bytes;
            int c = count;
            while ((z & ~0x7FL) != 0) {
                b[c++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            b[c++] = (byte) z;
            count = c;
        }

        void writeDouble(double d) {
            ensure(8);
            long bits = Double.doubleToRawLongBits(d);
            byte[] b = bytes;
            int c = count;
            for (int i = 0; i < 8; i++) {
                b[c + i] = (byte) (bits >>> (8 * i));
            }
            count = c + 8;
        }

        void writeBoolean(boolean v) {
            ensure(1);
            bytes[count++] = (byte) (v ? 1 : 0);
        }

        void writeFixed(byte[] b, int offset, int length) {
            ensure(length);
            System.arraycopy(b, offset, bytes, count, length);
            count += length;
        }

        void writeString(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeLong(utf8.length);
            writeFixed(utf8, 0, utf8.length);
        }

        void fingerprint(String s) {
            if (!s.equals(fingerprint)) {
                fingerprintUtf8 = s.getBytes(StandardCharsets.UTF_8);
                fingerprint = s;
            }
            writeLong(fingerprintUtf8.length);
            writeFixed(fingerprintUtf8, 0, fingerprintUtf8.length);
        }

        /** A block's count, or nothing for an empty one (its end marker alone). */
        private void count(int size) {
            if (size > 0) {
                writeLong(size);
            }
        }

        void doubles(List<Double> values) {
            int size = values.size();
            count(size);
            if (values instanceof PrimitivesArrays.DoubleArray primitive) {
                for (int i = 0; i < size; i++) {
                    writeDouble(primitive.getDouble(i));
                }
            } else {
                for (Double v : values) {
                    writeDouble(v);
                }
            }
            writeLong(0);
        }

        void nestedDoubles(List<List<Double>> values) {
            count(values.size());
            for (List<Double> v : values) {
                doubles(v);
            }
            writeLong(0);
        }

        void times(List<Instant> values) {
            count(values.size());
            for (Instant v : values) {
                writeLong(v.toEpochMilli());
            }
            writeLong(0);
        }

        void strings(List<String> values) {
            count(values.size());
            for (String v : values) {
                writeString(v);
            }
            writeLong(0);
        }

        void tags(Map<String, String> tags) {
            count(tags.size());
            for (Map.Entry<String, String> e : tags.entrySet()) {
                writeString(e.getKey());
                writeString(e.getValue());
            }
            writeLong(0);
        }
    }
}
