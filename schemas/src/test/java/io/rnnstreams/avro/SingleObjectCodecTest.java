package io.rnnstreams.avro;

import static io.rnnstreams.avro.Samples.assertSameFields;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.UndecodableRecordException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

class SingleObjectCodecTest {
    private final SingleObjectCodec<SensorReading> readings = SingleObjectCodec.of(SensorReading.class);
    private final SingleObjectCodec<Prediction> predictions = SingleObjectCodec.of(Prediction.class);
    private final SingleObjectCodec<KeyState> keyStates = SingleObjectCodec.of(KeyState.class);
    private final SingleObjectCodec<ModelState> modelStates = SingleObjectCodec.of(ModelState.class);

    private static <T extends SpecificRecord> T roundTrip(SingleObjectCodec<T> codec, T record) {
        T decoded = codec.decode(codec.encode(record));
        assertSameFields(record, decoded);
        assertEquals(record, decoded);
        return decoded;
    }

    @Test
    void sensorReadingRoundTrips() {
        SensorReading decoded = roundTrip(readings, Samples.sensorReading());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), decoded.getEventTime());
        assertEquals(List.of(21.5, -0.0, 1.0e-310, Double.MAX_VALUE, -3.75), decoded.getValues());
        assertEquals(Map.of("unit", "degC", "site", "Zürich-3"), decoded.getTags());
        assertEquals(String.class, decoded.getTags().get("unit").getClass());
    }

    @Test
    void sensorReadingWithNonFiniteValuesDecodesBitExactly() {
        // bad input must survive decoding unchanged, so that validation can name the reason
        double nanWithPayload = Double.longBitsToDouble(0x7FF8000000000123L);
        SensorReading reading = SensorReading.newBuilder()
                .setEventTime(Instant.ofEpochMilli(-1L))
                .setValues(List.of(nanWithPayload, Double.NEGATIVE_INFINITY))
                .build();
        SensorReading decoded = roundTrip(readings, reading);
        assertEquals(0x7FF8000000000123L, Double.doubleToRawLongBits(decoded.getValues().get(0)));
        assertEquals(Map.of(), decoded.getTags());
    }

    @Test
    void predictionRoundTrips() {
        Prediction decoded = roundTrip(predictions, Samples.prediction());
        assertEquals(Instant.ofEpochMilli(1_700_000_060_000L), decoded.getEventTime());
        assertEquals(List.of(21.625, -3.5), decoded.getForecast());
        assertEquals(List.of(List.of(21.625, -3.5), List.of(21.75, -3.25), List.of(21.875, -0.0)),
                decoded.getHorizon());
        assertEquals(List.of(-0.125, 0.25), decoded.getPreviousError());
        assertEquals(0.8125, decoded.getAnomalyScore());
        assertEquals(12_345_678_901L, decoded.getReadingsLearned());
        assertEquals("lstm-h32-k1=4-k2=16-seed=7:9f3a", decoded.getModelFingerprint());
        assertTrue(decoded.getStateReset());
    }

    @Test
    void firstPredictionRoundTripsWithDefaults() {
        Prediction decoded = roundTrip(predictions, Samples.firstPrediction());
        assertEquals(List.of(), decoded.getHorizon());
        assertNull(decoded.getPreviousError());
        assertEquals(false, decoded.getStateReset());
    }

    @Test
    void keyStateRoundTrips() {
        KeyState decoded = roundTrip(keyStates, Samples.keyState());
        assertEquals(1, decoded.getStateVersion());
        assertEquals(Instant.ofEpochMilli(1_700_000_060_000L), decoded.getLastEventTime());
        assertArrayEquals(new double[] {0.5, -0.25, -0.0, 1.0e-300}, PackedDoubles.unpack(decoded.getHiddenState()));
        assertArrayEquals(new double[] {0.01, 0.002, 43.0}, PackedDoubles.unpack(decoded.getErrorStats()));
        assertEquals(3, decoded.getWindowCount());
        assertEquals(1, decoded.getWindowHead());
        assertEquals(2, decoded.getPushesSinceUpdate());
        assertEquals(43L, decoded.getReadings());
        assertEquals(11L, decoded.getModelVersion());
    }

    @Test
    void decodedRecordsShareNoMemoryWithTheMessage() {
        byte[] message = keyStates.encode(Samples.keyState());
        KeyState decoded = keyStates.decode(message);
        Arrays.fill(message, 10, message.length, (byte) 0x55);
        assertSameFields(Samples.keyState(), decoded);
    }

    @Test
    void modelStateRoundTrips() {
        ModelState original = Samples.modelState();
        ModelState decoded = roundTrip(modelStates, original);
        assertEquals(8_000, decoded.getParameters().remaining());
        assertEquals(16_000, decoded.getOptimizerState().remaining());
        assertArrayEquals(PackedDoubles.unpack(original.getParameters()), PackedDoubles.unpack(decoded.getParameters()));
        assertEquals(250L, decoded.getUpdates());
        assertEquals(2L, decoded.getRestores());
        assertEquals(248L, decoded.getOptimizerStep());
    }

    @Test
    void messagesStartWithMagicAndTheWriterSchemaFingerprint() {
        assertHeader(readings.encode(Samples.sensorReading()), SensorReading.getClassSchema());
        assertHeader(predictions.encode(Samples.prediction()), Prediction.getClassSchema());
        assertHeader(keyStates.encode(Samples.keyState()), KeyState.getClassSchema());
        assertHeader(modelStates.encode(Samples.modelState()), ModelState.getClassSchema());
    }

    private static void assertHeader(byte[] message, org.apache.avro.Schema schema) {
        assertEquals((byte) 0xC3, message[0]);
        assertEquals((byte) 0x01, message[1]);
        byte[] expected = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(SchemaNormalization.parsingFingerprint64(schema)).array();
        assertArrayEquals(expected, Arrays.copyOfRange(message, 2, 10));
        assertEquals(SchemaNormalization.parsingFingerprint64(schema), SingleObjectCodec.fingerprint(schema));
    }

    @Test
    void bytesAreExactlyAvrosSingleObjectEncoding() throws IOException {
        KeyState state = Samples.keyState();
        byte[] message = keyStates.encode(state);
        ByteBuffer avro = KeyState.getEncoder().encode(state);
        assertEquals(ByteBuffer.wrap(message), avro);
        assertEquals(state, KeyState.getDecoder().decode(message));
    }

    /** A prediction of {@code channels} channels and {@code steps} horizon steps, its numbers drawn from {@code random}. */
    private static Prediction randomPrediction(Random random, int channels, int steps) {
        List<List<Double>> horizon = new java.util.ArrayList<>();
        List<List<Double>> lower = new java.util.ArrayList<>();
        List<List<Double>> upper = new java.util.ArrayList<>();
        for (int s = 0; s < steps; s++) {
            horizon.add(randomDoubles(random, channels));
            lower.add(randomDoubles(random, channels));
            upper.add(randomDoubles(random, channels));
        }
        List<Instant> times = new java.util.ArrayList<>();
        for (int s = 0; s < Math.max(1, steps); s++) {
            times.add(Instant.ofEpochMilli(random.nextLong() >> random.nextInt(64)));
        }
        return Prediction.newBuilder()
                .setEventTime(Instant.ofEpochMilli(random.nextLong() >> random.nextInt(64)))
                .setForecast(randomDoubles(random, channels))
                .setHorizon(horizon)
                .setPreviousError(random.nextBoolean() ? null : randomDoubles(random, channels))
                .setAnomalyScore(random.nextDouble())
                .setReadingsLearned(random.nextLong() >>> random.nextInt(64))
                // a new fingerprint, or one of a few again
                .setModelFingerprint(random.nextBoolean() ? "fp-" + random.nextInt() + "-\u00e9\u4e2d"
                        : List.of("", "hybrid-gru-h16", "fp-\uD83D\uDE00").get(random.nextInt(3)))
                .setStateReset(random.nextBoolean())
                .setAnomaly(random.nextBoolean())
                .setWarmingUp(random.nextBoolean())
                .setChannelContributions(random.nextBoolean() ? List.of() : randomDoubles(random, channels))
                .setForecastTimes(random.nextBoolean() ? List.of() : times)
                .setIntervalLevel(random.nextBoolean() ? null : random.nextDouble())
                .setIntervalLower(lower)
                .setIntervalUpper(upper)
                .setChannelNames(random.nextBoolean() ? List.of() : java.util.Collections.nCopies(channels,
                        List.of("c", "", "Zürich-温度").get(random.nextInt(3))))
                .setTags(switch (random.nextInt(3)) {
                    case 0 -> Map.of();
                    case 1 -> Map.of("site", "S" + random.nextInt(), "unit", "degC");
                    default -> {
                        Map<String, String> tags = new java.util.HashMap<>();
                        for (int t = random.nextInt(12); t > 0; t--) {
                            tags.put("k" + random.nextInt(100) + (random.nextBoolean() ? "é" : ""),
                                    random.nextBoolean() ? "" : "v\uD83D\uDE00" + random.nextInt());
                        }
                        yield tags;
                    }
                })
                .build();
    }

    /**
     * {@code n} doubles of every kind (specials, subnormals, -0.0, any bits), in a mutable, an immutable or Avro's
     * primitive-backed list.
     */
    private static List<Double> randomDoubles(Random random, int n) {
        double[] specials = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE};
        List<Double> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(3);
            out.add(kind == 0 ? specials[random.nextInt(specials.length)]
                    : kind == 1 ? Double.longBitsToDouble(random.nextLong()) : random.nextGaussian());
        }
        switch (random.nextInt(3)) {
            case 0:
                return out;
            case 1:
                return List.copyOf(out);
            default:
                // Avro's primitive-backed array, as the stream builds its records' arrays of doubles
                org.apache.avro.generic.PrimitivesArrays.DoubleArray primitive =
                        new org.apache.avro.generic.PrimitivesArrays.DoubleArray(n,
                                Prediction.getClassSchema().getField("forecast").schema());
                for (int i = 0; i < n; i++) {
                    primitive.add(i, out.get(i).doubleValue());
                }
                return primitive;
        }
    }

    @Test
    void randomPredictionsEncodeToExactlyAvrosBytes() throws IOException {
        // the codec's own encoder (reused buffers, arrays of doubles written by index) against Avro's reference
        // BinaryMessageEncoder, on predictions of every shape: mutable and immutable lists, empty and long arrays
        Random random = new Random(20261207L);
        for (int i = 0; i < 2_000; i++) {
            Prediction prediction = randomPrediction(random, 1 + random.nextInt(i % 10 == 0 ? 300 : 4),
                    random.nextInt(4));
            assertEquals(Prediction.getEncoder().encode(prediction), ByteBuffer.wrap(predictions.encode(prediction)),
                    "prediction " + i);
        }
    }

    @Test
    void predictionsAreWrittenByTheirOwnWriterWhileTheSchemaIsTheOneItKnows() {
        // fails when Prediction.avsc changed: then update PredictionWriter's fields and its fingerprint
        assertEquals(PredictionWriter.SCHEMA_FINGERPRINT, SingleObjectCodec.fingerprint(Prediction.getClassSchema()),
                "PredictionWriter.SCHEMA_FINGERPRINT: 0x" + Long.toHexString(
                        SingleObjectCodec.fingerprint(Prediction.getClassSchema())) + "L");
        assertTrue(predictions.datumWriter() instanceof PredictionWriter);
        assertTrue(keyStates.datumWriter() instanceof ShortPathDatumWriter);
    }

    @Test
    void everySchemaEncodesToExactlyAvrosBytes() throws IOException {
        assertEquals(SensorReading.getEncoder().encode(Samples.sensorReading()),
                ByteBuffer.wrap(readings.encode(Samples.sensorReading())));
        assertEquals(Prediction.getEncoder().encode(Samples.firstPrediction()),
                ByteBuffer.wrap(predictions.encode(Samples.firstPrediction())));
        assertEquals(ModelState.getEncoder().encode(Samples.modelState()),
                ByteBuffer.wrap(modelStates.encode(Samples.modelState())));
        LaggedOutput lagged = LaggedOutput.newBuilder().setSensor("s-1").setEventTime(Instant.ofEpochMilli(5L))
                .setSequence(7L).setLag(3).setSmoothed(List.of(1.5, -0.0)).setResidual(List.of(Double.NaN, 2.0))
                .setLaggedScore(0.25).setWarmingUp(false).setScore(0.5).build();
        assertEquals(LaggedOutput.getEncoder().encode(lagged),
                ByteBuffer.wrap(SingleObjectCodec.of(LaggedOutput.class).encode(lagged)));
    }

    @Test
    void bytesFieldsEncodeToAvrosBytesFromSlicesReadOnlyAndDirectBuffers() throws IOException {
        // the packed vectors are written from a heap buffer's array: its offset and position must be honoured
        byte[] backing = new byte[64];
        new Random(7L).nextBytes(backing);
        ByteBuffer slice = ByteBuffer.wrap(backing, 5, 40).slice(); // arrayOffset 5
        slice.position(3);
        ByteBuffer direct = ByteBuffer.allocateDirect(16).put(backing, 0, 16).flip();
        for (ByteBuffer bytes : List.of(slice, slice.asReadOnlyBuffer(), direct, ByteBuffer.allocate(0),
                ByteBuffer.wrap(backing))) {
            KeyState state = Samples.keyState();
            state.setHiddenState(bytes);
            state.setAnchor(bytes.duplicate());
            int position = bytes.position();
            assertEquals(KeyState.getEncoder().encode(state), ByteBuffer.wrap(keyStates.encode(state)),
                    bytes.toString());
            assertEquals(position, bytes.position(), "the field's buffer is left as it was");
        }
    }

    @Test
    void anEncodeThatFailedHalfWayLeavesNothingInTheNext() throws IOException {
        // eventTime and the forecast's first element are written before the null element fails the encode: those
        // bytes sit in the thread's reused encoder and must not lead the next message
        Prediction broken = Samples.prediction();
        broken.setForecast(java.util.Arrays.asList(1.0, 2.0, null));
        assertThrows(NullPointerException.class, () -> predictions.encode(broken));
        Prediction good = Samples.prediction();
        assertEquals(Prediction.getEncoder().encode(good), ByteBuffer.wrap(predictions.encode(good)));
        assertEquals(KeyState.getEncoder().encode(Samples.keyState()),
                ByteBuffer.wrap(keyStates.encode(Samples.keyState())));
    }

    @Test
    void aMessageBeyondTheKeptCapacityDoesNotDisturbTheNext() throws IOException {
        double[] parameters = new double[MessageBuffer.KEPT_CAPACITY / 8 + 1_000];
        java.util.Arrays.setAll(parameters, i -> Math.sin(i));
        ModelState large = ModelState.newBuilder(Samples.modelState()).setParameters(PackedDoubles.wrap(parameters))
                .build();
        assertEquals(ModelState.getEncoder().encode(large), ByteBuffer.wrap(modelStates.encode(large)));
        assertEquals(KeyState.getEncoder().encode(Samples.keyState()),
                ByteBuffer.wrap(keyStates.encode(Samples.keyState())));
        assertEquals(ModelState.getEncoder().encode(large), ByteBuffer.wrap(modelStates.encode(large)));
    }

    @Test
    void messagesCostTheirPayloadPlusAFewBytes() {
        // KeyState: header 10 + 31 doubles (248) + 23 bytes of varints (ints, longs, length prefixes), and the
        // fields with defaults that the sample leaves alone: anomalyScore (a double), errorCount (a varint) and
        // the two empty error sums (a length prefix each), the empty detector state (a length prefix) and the
        // empty intervals (an array end marker); the hybrid learner's empty fields: two length prefixes and an
        // array end marker; the empty prediction-interval state (a length prefix); the null seq2seq and smoother
        // states (a union index each); the hybrid's empty halves (a length prefix)
        assertEquals(10 + 31 * 8 + 23 + 8 + 1 + 1 + 1 + 1 + 1 + 3 + 1 + 2 + 1,
                keyStates.encode(Samples.keyState()).length);
        // ModelState: header, stateVersion, string (length + 31 chars), parameters (length + 8000),
        // moments (length + 16000), updates, restores, optimizerStep
        assertEquals(10 + 1 + (1 + 31) + (2 + 8_000) + (3 + 16_000) + 2 + 1 + 2,
                modelStates.encode(Samples.modelState()).length);
    }

    @Test
    void encodeReturnsAFreshArrayEveryTime() {
        byte[] first = keyStates.encode(Samples.keyState());
        byte[] second = keyStates.encode(Samples.keyState());
        assertArrayEquals(first, second);
        first[12] ^= 1;
        assertFalse(Arrays.equals(first, second));
        // a larger record through the reused per-thread buffers does not disturb a smaller one
        modelStates.encode(Samples.modelState());
        assertArrayEquals(second, keyStates.encode(Samples.keyState()));
    }

    @Test
    void randomBytesAreUndecodable() {
        Random random = new Random(20261123L);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                    () -> readings.decode(garbage));
            boolean magic = garbage.length >= 2 && garbage[0] == (byte) 0xC3 && garbage[1] == 1;
            assertEquals(magic && garbage.length >= 10 ? Reason.UNKNOWN_SCHEMA : Reason.BAD_HEADER, e.reason());
        }
        UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                () -> readings.decode("{\"eventTime\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(Reason.BAD_HEADER, e.reason());
        assertEquals("BAD_HEADER: not a single-object message: starts with 0x7B 0x22, expected 0xC3 0x01",
                e.getMessage());
        UndecodableRecordException empty = assertThrows(UndecodableRecordException.class,
                () -> readings.decode(new byte[0]));
        assertEquals("BAD_HEADER: a single-object message has a 10-byte header, got only 0 bytes",
                empty.getMessage());
    }

    @Test
    void everyTruncationIsUndecodable() {
        byte[] message = readings.encode(Samples.sensorReading());
        for (int length = 0; length < message.length; length++) {
            byte[] truncated = Arrays.copyOf(message, length);
            UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                    () -> readings.decode(truncated), "length " + length);
            assertEquals(length < 10 ? Reason.BAD_HEADER : Reason.TRUNCATED, e.reason(), "length " + length);
        }
        byte[] truncatedState = Arrays.copyOf(keyStates.encode(Samples.keyState()), 100);
        UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                () -> keyStates.decode(truncatedState));
        assertTrue(e.getMessage().startsWith("TRUNCATED: the io.rnnstreams.avro.KeyState record ends early"),
                e.getMessage());
    }

    @Test
    void aValidMessageOfAnotherSchemaIsUndecodable() {
        byte[] prediction = predictions.encode(Samples.prediction());
        UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                () -> readings.decode(prediction));
        assertEquals(Reason.UNKNOWN_SCHEMA, e.reason());
        assertEquals(String.format("UNKNOWN_SCHEMA: no io.rnnstreams.avro.SensorReading writer schema with "
                        + "fingerprint 0x%016X is known (current schema: 0x%016X)",
                SingleObjectCodec.fingerprint(Prediction.getClassSchema()),
                SingleObjectCodec.fingerprint(SensorReading.getClassSchema())), e.getMessage());

        assertEquals(Reason.UNKNOWN_SCHEMA, assertThrows(UndecodableRecordException.class,
                () -> keyStates.decode(modelStates.encode(Samples.modelState()))).reason());
    }

    @Test
    void trailingBytesAreUndecodable() {
        byte[] message = readings.encode(Samples.sensorReading());
        byte[] padded = Arrays.copyOf(message, message.length + 3);
        UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                () -> readings.decode(padded));
        assertEquals("TRAILING_BYTES: 3 bytes follow the io.rnnstreams.avro.SensorReading record", e.getMessage());
    }

    @Test
    void malformedBodyIsUndecodable() throws IOException {
        // Prediction.previousError is a union of 2 branches; branch index 5 does not exist
        ByteArrayOutputStream out = header(Prediction.getClassSchema());
        BinaryEncoder body = EncoderFactory.get().directBinaryEncoder(out, null);
        body.writeLong(1L);       // eventTime
        body.writeArrayStart();   // forecast: empty
        body.writeArrayEnd();
        body.writeArrayStart();   // horizon: empty
        body.writeArrayEnd();
        body.writeIndex(5);       // previousError: no such branch
        body.flush();
        UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                () -> predictions.decode(out.toByteArray()));
        assertEquals(Reason.MALFORMED, e.reason());
    }

    @Test
    void aLengthPrefixBeyondTheMessageIsRejectedBeforeAllocating() throws IOException {
        // 30 bytes claiming a 2 GB bytes field: Avro's own BinaryMessageDecoder would try to allocate
        // the 2 GB (an OutOfMemoryError on a small heap); the codec rejects it from the length alone.
        ByteArrayOutputStream out = header(KeyState.getClassSchema());
        BinaryEncoder body = EncoderFactory.get().directBinaryEncoder(out, null);
        body.writeInt(1);                          // stateVersion
        body.writeLong(1_700_000_000_000L);        // lastEventTime
        body.writeLong(Integer.MAX_VALUE - 8);     // hiddenState length
        body.writeFixed(new byte[16]);
        body.flush();
        UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                () -> keyStates.decode(out.toByteArray()));
        assertEquals(Reason.TRUNCATED, e.reason());

        // the same for an array that claims more elements than the message could hold
        ByteArrayOutputStream array = header(SensorReading.getClassSchema());
        BinaryEncoder readingBody = EncoderFactory.get().directBinaryEncoder(array, null);
        readingBody.writeLong(1L);
        readingBody.writeLong(Integer.MAX_VALUE - 8); // values: block count
        readingBody.writeDouble(1.0);
        readingBody.flush();
        assertEquals(Reason.TRUNCATED, assertThrows(UndecodableRecordException.class,
                () -> readings.decode(array.toByteArray())).reason());
    }

    @Test
    void mutatedMessagesEitherDecodeOrAreUndecodable() {
        Random random = new Random(7L);
        byte[] message = predictions.encode(Samples.prediction());
        int decoded = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] mutated = message.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                mutated[10 + random.nextInt(mutated.length - 10)] = (byte) random.nextInt(256);
            }
            try {
                predictions.decode(mutated);
                decoded++;
            } catch (UndecodableRecordException expected) {
                // any other exception type fails the test
            }
        }
        assertTrue(decoded < 5_000, "some mutations must be detected");
    }

    @Test
    void addWriterSchemaRejectsAnIncompatibleSchema() {
        org.apache.avro.Schema incompatible = SchemaBuilder.record("KeyState").namespace("io.rnnstreams.avro")
                .fields().requiredString("stateVersion").endRecord();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> keyStates.addWriterSchema(incompatible));
        assertTrue(e.getMessage().startsWith("records written with io.rnnstreams.avro.KeyState schema fingerprint 0x"),
                e.getMessage());
        assertSame(keyStates, keyStates.addWriterSchema(KeyState.getClassSchema()));
    }

    @Test
    void oneCodecServesManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        KeyState state = Samples.keyState();
                        state.setReadings(thread * 1_000_000L + i);
                        KeyState back = keyStates.decode(keyStates.encode(state));
                        if (!state.equals(back)) {
                            return i;
                        }
                    }
                    return -1;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(-1, result.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void creatingACodecTrustsItsGeneratedClassWithAvro() {
        assertTrue(ClassSecurityValidator.getGlobal().isTrusted(KeyState.class));
        assertTrue(ClassSecurityValidator.getGlobal().isTrusted(String.class), "defaults are kept");
        assertFalse(ClassSecurityValidator.getGlobal().isTrusted(java.io.File.class), "nothing else is trusted");
    }

    private static ByteArrayOutputStream header(org.apache.avro.Schema schema) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(SchemaNormalization.parsingFingerprint64(schema)).array());
        return out;
    }
}
