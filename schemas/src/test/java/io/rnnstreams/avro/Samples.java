package io.rnnstreams.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/** Sample records of every schema, and a bit-exact field comparison. */
final class Samples {
    private Samples() {
    }

    static SensorReading sensorReading() {
        return SensorReading.newBuilder()
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setValues(List.of(21.5, -0.0, 1.0e-310, Double.MAX_VALUE, -3.75))
                .setTags(Map.of("unit", "degC", "site", "Zürich-3"))
                .build();
    }

    static Prediction prediction() {
        return Prediction.newBuilder()
                .setEventTime(Instant.ofEpochMilli(1_700_000_060_000L))
                .setForecast(List.of(21.625, -3.5))
                .setHorizon(List.of(List.of(21.625, -3.5), List.of(21.75, -3.25), List.of(21.875, -0.0)))
                .setPreviousError(List.of(-0.125, 0.25))
                .setAnomalyScore(0.8125)
                .setReadingsLearned(12_345_678_901L)
                .setModelFingerprint("lstm-h32-k1=4-k2=16-seed=7:9f3a")
                .setStateReset(true)
                .build();
    }

    /** A key's first prediction: every optional field at its default. */
    static Prediction firstPrediction() {
        return Prediction.newBuilder()
                .setEventTime(Instant.ofEpochMilli(0L))
                .setForecast(List.of(0.0))
                .setAnomalyScore(0.0)
                .setReadingsLearned(1L)
                .setModelFingerprint("")
                .build();
    }

    static KeyState keyState() {
        return KeyState.newBuilder()
                .setStateVersion(1)
                .setLastEventTime(Instant.ofEpochMilli(1_700_000_060_000L))
                .setHiddenState(PackedDoubles.wrap(new double[] {0.5, -0.25, -0.0, 1.0e-300}))
                .setAnchor(PackedDoubles.wrap(new double[] {0.125, -1.5, 0.0, 2.0}))
                .setWindowInputs(PackedDoubles.wrap(new double[] {0.1, -0.2, 0.3, -0.4, 0.5, -0.6}))
                .setWindowTargets(PackedDoubles.wrap(new double[] {-0.2, 0.3, -0.4, 0.5, -0.6, 0.7}))
                .setWindowCount(3)
                .setWindowHead(1)
                .setPushesSinceUpdate(2)
                .setNormaliserCount(43L)
                .setNormaliserMean(PackedDoubles.wrap(new double[] {20.5, -3.25}))
                .setNormaliserM2(PackedDoubles.wrap(new double[] {101.0, 7.5}))
                .setLastInput(PackedDoubles.wrap(new double[] {0.3, -0.4}))
                .setHasLastInput(true)
                .setLastForecast(PackedDoubles.wrap(new double[] {21.0, -3.0}))
                .setReadings(43L)
                .setErrorStats(PackedDoubles.wrap(new double[] {0.01, 0.002, 43.0}))
                .setModelVersion(11L)
                .build();
    }

    static ModelState modelState() {
        double[] parameters = new double[1000];
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = Math.sin(i) / (i + 1);
        }
        double[] moments = new double[2 * parameters.length];
        for (int i = 0; i < moments.length; i++) {
            moments[i] = i % 2 == 0 ? 1.0e-8 * i : -Math.cos(i);
        }
        return ModelState.newBuilder()
                .setStateVersion(1)
                .setConfigFingerprint("lstm-h32-k1=4-k2=16-seed=7:9f3a")
                .setParameters(PackedDoubles.wrap(parameters))
                .setOptimizerState(PackedDoubles.wrap(moments))
                .setUpdates(250L)
                .setRestores(2L)
                .setOptimizerStep(248L)
                .build();
    }

    /**
     * Asserts that both records have the same schema and, field by field, the same value bit for bit:
     * doubles compare by raw bits (so -0.0 differs from 0.0), bytes by content.
     */
    static void assertSameFields(SpecificRecord expected, SpecificRecord actual) {
        assertEquals(expected.getSchema(), actual.getSchema());
        for (org.apache.avro.Schema.Field field : expected.getSchema().getFields()) {
            assertEquals(canonical(expected.get(field.pos())), canonical(actual.get(field.pos())),
                    field.name());
        }
    }

    private static Object canonical(Object value) {
        if (value instanceof Double d) {
            return "double:" + Long.toHexString(Double.doubleToRawLongBits(d));
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return "bytes:" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(element -> out.add(canonical(element)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), canonical(v)));
            return out;
        }
        return value == null ? null : value.getClass().getSimpleName() + ":" + value;
    }
}
