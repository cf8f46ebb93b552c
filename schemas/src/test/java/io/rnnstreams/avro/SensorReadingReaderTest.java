package io.rnnstreams.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SensorReadingReader} against Avro's own reader ({@link SingleObjectCodec#decode(byte[], boolean)} without
 * the shortcut): on random readings, on encodings Avro's writer never produces but other writers may (several
 * blocks, repeated tags, overlong varints, negative block counts with byte sizes), and on corrupted messages, the
 * codec decodes to the same record (field by field: the event time, the values' bits, the tags' map class and
 * iteration order) or fails with the same reason and message. (The values' list differs in class: Avro's reader makes
 * a {@code GenericData.Array} of boxed doubles, the shortcut Avro's primitive-backed array; equal lists.)
 */
class SensorReadingReaderTest {
    private final SingleObjectCodec<SensorReading> codec = SingleObjectCodec.of(SensorReading.class);

    @Test
    void theReaderKnowsTheCurrentSchema() {
        // fails when SensorReading.avsc changed: then update SensorReadingReader and its fingerprint
        assertEquals(SensorReadingReader.SCHEMA_FINGERPRINT, SingleObjectCodec.fingerprint(
                SensorReading.getClassSchema()), "SensorReadingReader.SCHEMA_FINGERPRINT: 0x" + Long.toHexString(
                SingleObjectCodec.fingerprint(SensorReading.getClassSchema())) + "L");
    }

    @Test
    void randomReadingsDecodeAsAvroDecodesThem() {
        Random random = new Random(20261207L);
        int shortcut = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] message = codec.encode(randomReading(random));
            assertSameOutcome(message, "reading " + i);
            assertEquals(codec.decode(message, false), codec.decode(message));
            shortcut += SensorReadingReader.read(message, SingleObjectCodec.HEADER_LENGTH, true) != null ? 1 : 0;
        }
        assertEquals(5_000, shortcut, "every reading Avro's writer wrote takes the shortcut");
    }

    @Test
    void otherWritersEncodingsDecodeAsAvroDecodesThem() {
        Random random = new Random(7L);
        int shortcut = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] message = new OddWriter(random).reading();
            assertSameOutcome(message, "reading " + i + " " + Arrays.toString(message));
            shortcut += SensorReadingReader.read(message, SingleObjectCodec.HEADER_LENGTH, true) != null ? 1 : 0;
        }
        assertTrue(shortcut > 1_000 && shortcut < 4_000, "both paths taken: " + shortcut + " shortcuts");
    }

    @Test
    void corruptedMessagesFailAsAvroFailsOnThem() {
        Random random = new Random(20261208L);
        for (int i = 0; i < 20_000; i++) {
            byte[] message = codec.encode(randomReading(random));
            byte[] corrupt = switch (random.nextInt(4)) {
                case 0 -> Arrays.copyOf(message, SingleObjectCodec.HEADER_LENGTH + random.nextInt(
                        message.length - SingleObjectCodec.HEADER_LENGTH)); // truncated
                case 1 -> Arrays.copyOf(message, message.length + 1 + random.nextInt(3)); // trailing bytes
                default -> {
                    for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                        int at = SingleObjectCodec.HEADER_LENGTH
                                + random.nextInt(message.length - SingleObjectCodec.HEADER_LENGTH);
                        message[at] = random.nextInt(3) == 0 ? (byte) random.nextInt() : (byte) (message[at] ^ 0x80);
                    }
                    yield message;
                }
            };
            assertSameOutcome(corrupt, "message " + i + " " + Arrays.toString(corrupt));
        }
    }

    @Test
    void theReadingsOfTheStreamTakeTheShortcutAndItsRecordIsAvros() {
        SensorReading reading = new SensorReading(Instant.ofEpochMilli(1_800_000_000_123L), List.of(0.25),
                Map.of());
        byte[] message = codec.encode(reading);
        SensorReading shortcut = SensorReadingReader.read(message, SingleObjectCodec.HEADER_LENGTH, true);
        assertNotNull(shortcut);
        assertEquals(reading, shortcut);
        assertSame(org.apache.avro.generic.PrimitivesArrays.DoubleArray.class, shortcut.getValues().getClass());
        assertSame(java.util.HashMap.class, shortcut.getTags().getClass());
        assertNull(SensorReadingReader.read(Arrays.copyOf(message, message.length + 1),
                SingleObjectCodec.HEADER_LENGTH, true), "trailing bytes are Avro's to refuse");
    }

    @Test
    void withoutAvrosFastReaderTheTagsIterateAsAvrosOtherReaderFillsThem() throws java.io.IOException {
        // GenericDatumReader sizes the map by the first block's count when the model's fast reader is off
        org.apache.avro.specific.SpecificData model = new org.apache.avro.specific.SpecificData();
        model.addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
        model.setFastReaderEnabled(false);
        org.apache.avro.specific.SpecificDatumReader<SensorReading> avro = new org.apache.avro.specific
                .SpecificDatumReader<>(SensorReading.getClassSchema(), SensorReading.getClassSchema(), model);
        Random random = new Random(11L);
        for (int i = 0; i < 2_000; i++) {
            byte[] message = i % 2 == 0 ? codec.encode(randomReading(random)) : new OddWriter(random).reading();
            SensorReading ours = SensorReadingReader.read(message, SingleObjectCodec.HEADER_LENGTH, false);
            if (ours == null) {
                continue;
            }
            SensorReading theirs = avro.read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(message,
                    SingleObjectCodec.HEADER_LENGTH, message.length - SingleObjectCodec.HEADER_LENGTH, null));
            assertEquals(theirs, ours, "reading " + i);
            assertEquals(new ArrayList<>(theirs.getTags().entrySet()), new ArrayList<>(ours.getTags().entrySet()),
                    "reading " + i);
        }
    }

    /** The codec's outcome on {@code message} with and without the shortcut: the same record or the same failure. */
    private void assertSameOutcome(byte[] message, String what) {
        Object avro = outcome(message, false);
        Object ours = outcome(message, true);
        assertEquals(avro, ours, what);
    }

    private Object outcome(byte[] message, boolean shortcut) {
        try {
            SensorReading r = codec.decode(message.clone(), shortcut);
            List<Long> bits = new ArrayList<>();
            for (Double v : r.getValues()) {
                bits.add(Double.doubleToRawLongBits(v));
            }
            return List.of(r.getEventTime(), bits, r.getTags().getClass(),
                    new ArrayList<>(r.getTags().entrySet()));
        } catch (UndecodableRecordException e) {
            return List.of(e.reason(), e.getMessage());
        }
    }

    static SensorReading randomReading(Random random) {
        int channels = random.nextInt(10) == 0 ? random.nextInt(300) : random.nextInt(9);
        List<Double> values = new ArrayList<>(channels);
        double[] specials = {0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7FF8000000000123L),
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE};
        for (int c = 0; c < channels; c++) {
            int kind = random.nextInt(3);
            values.add(kind == 0 ? specials[random.nextInt(specials.length)]
                    : kind == 1 ? Double.longBitsToDouble(random.nextLong()) : random.nextGaussian() * 100);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (int t = random.nextInt(4) == 0 ? random.nextInt(20) : 0; t > 0; t--) {
            tags.put(randomString(random), randomString(random));
        }
        long eventTime = switch (random.nextInt(4)) {
            case 0 -> random.nextLong();
            case 1 -> -random.nextInt(1_000);
            default -> 1_700_000_000_000L + random.nextInt(1_000_000_000);
        };
        return new SensorReading(Instant.ofEpochMilli(eventTime), values, tags);
    }

    private static String randomString(Random random) {
        String[] pieces = {"", "channels", "a,b,c", "Zürich", "温度", "\uD83D\uDE00", "unit", "site-7"};
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(3); n > 0; n--) {
            s.append(pieces[random.nextInt(pieces.length)]);
        }
        return s.toString();
    }

    /**
     * A SensorReading message as writers other than Avro's may encode it: arrays and maps in several blocks, some
     * with negative counts and byte sizes; repeated tag keys; varints padded with continuation bytes; raw invalid
     * UTF-8 in strings.
     */
    private static final class OddWriter {
        private final Random random;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        OddWriter(Random random) {
            this.random = random;
        }

        byte[] reading() {
            byte[] header = SingleObjectCodec.of(SensorReading.class).encode(
                    new SensorReading(Instant.EPOCH, List.of(), Map.of()));
            out.write(header, 0, SingleObjectCodec.HEADER_LENGTH);
            varint(zigZag(random.nextBoolean() ? random.nextLong() : random.nextInt(1 << 20)));
            int channels = random.nextInt(6);
            List<byte[]> items = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                long bits = Double.doubleToRawLongBits(random.nextGaussian());
                byte[] item = new byte[8];
                for (int b = 0; b < 8; b++) {
                    item[b] = (byte) (bits >>> (8 * b));
                }
                items.add(item);
            }
            blocks(items);
            List<byte[]> entries = new ArrayList<>();
            String[] keys = {"k", "channels", "k2"};
            for (int t = random.nextInt(5); t > 0; t--) {
                ByteArrayOutputStream entry = new ByteArrayOutputStream();
                string(entry, keys[random.nextInt(keys.length)]);
                string(entry, "v" + random.nextInt(100));
                entries.add(entry.toByteArray());
            }
            blocks(entries);
            return out.toByteArray();
        }

        private void blocks(List<byte[]> items) {
            int i = 0;
            while (i < items.size()) {
                int n = 1 + random.nextInt(items.size() - i);
                ByteArrayOutputStream block = new ByteArrayOutputStream();
                for (int j = i; j < i + n; j++) {
                    block.write(items.get(j), 0, items.get(j).length);
                }
                if (random.nextInt(4) == 0) { // a negative count, then the block's size in bytes
                    varint(zigZag(-n));
                    varint(zigZag(block.size()));
                } else {
                    varint(zigZag(n));
                }
                out.write(block.toByteArray(), 0, block.size());
                i += n;
            }
            varint(0);
        }

        private void string(ByteArrayOutputStream to, String s) {
            byte[] bytes = random.nextInt(8) == 0 ? new byte[] {(byte) 0xC3, (byte) 0x28, 'x'}
                    : s.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            writeVarint(saved, zigZag(bytes.length));
            to.write(saved.toByteArray(), 0, saved.size());
            to.write(bytes, 0, bytes.length);
        }

        private void varint(long zigZagged) {
            writeVarint(out, zigZagged);
        }

        private void writeVarint(ByteArrayOutputStream to, long n) {
            int padding = random.nextInt(6) == 0 ? 1 + random.nextInt(8) : 0; // continuation bytes of zeros
            while ((n & ~0x7FL) != 0) {
                to.write((int) ((n & 0x7F) | 0x80));
                n >>>= 7;
            }
            if (padding == 0) {
                to.write((int) n);
                return;
            }
            to.write((int) (n | 0x80));
            for (int p = 1; p < padding; p++) {
                to.write(0x80);
            }
            to.write(0);
        }

        private static long zigZag(long n) {
            return (n << 1) ^ (n >> 63);
        }
    }
}
