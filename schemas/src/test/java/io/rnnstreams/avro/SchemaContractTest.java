package io.rnnstreams.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The conventions every schema of this module follows. */
class SchemaContractTest {
    private static final List<Schema> SCHEMAS = List.of(SensorReading.getClassSchema(),
            Prediction.getClassSchema(), KeyState.getClassSchema(), Seq2SeqKeyState.getClassSchema(),
            SmootherKeyState.getClassSchema(), ModelState.getClassSchema(), LaggedOutput.getClassSchema());

    @Test
    void everyRecordAndFieldIsDocumented() {
        for (Schema schema : SCHEMAS) {
            assertEquals("io.rnnstreams.avro", schema.getNamespace());
            assertFalse(schema.getDoc() == null || schema.getDoc().isBlank(), schema.getFullName());
            for (Schema.Field field : schema.getFields()) {
                assertFalse(field.doc() == null || field.doc().isBlank(), schema.getName() + "." + field.name());
            }
        }
    }

    @Test
    void fieldLists() {
        assertEquals(List.of("eventTime", "values", "tags"), names(SensorReading.getClassSchema()));
        assertEquals(List.of("eventTime", "forecast", "horizon", "previousError", "anomalyScore",
                "readingsLearned", "modelFingerprint", "stateReset", "anomaly", "warmingUp", "channelContributions",
                "forecastTimes", "intervalLevel", "intervalLower", "intervalUpper", "channelNames", "tags"),
                names(Prediction.getClassSchema()));
        assertEquals(List.of("stateVersion", "lastEventTime", "hiddenState", "anchor", "windowInputs",
                "windowTargets", "windowCount", "windowHead", "pushesSinceUpdate", "normaliserCount",
                "normaliserMean", "normaliserM2", "lastInput", "hasLastInput", "lastForecast", "readings",
                "errorStats", "modelVersion", "anomalyScore", "errorCount", "errorAbsSum", "errorSquaredSum",
                "detectorState", "intervals", "hybridExact", "hybridValues", "hybridCounters",
                "predictionIntervalState", "seq2seq", "smoother", "hybridHalves"),
                names(KeyState.getClassSchema()));
        assertEquals(List.of("encoderState", "anchor", "windowInputs", "windowCount", "windowHead",
                "pushesSinceUpdate", "normaliserCount", "normaliserMean", "normaliserM2", "lastInput", "hasLastInput",
                "forecasts", "readings", "correction"), names(Seq2SeqKeyState.getClassSchema()));
        assertEquals(List.of("exact", "counters"), names(SmootherKeyState.getClassSchema()));
        assertEquals(List.of("sensor", "eventTime", "sequence", "lag", "smoothed", "residual", "laggedScore",
                "warmingUp", "score", "dated", "anomaly"), names(LaggedOutput.getClassSchema()));
        assertEquals(List.of("stateVersion", "configFingerprint", "parameters", "optimizerState", "updates",
                "restores", "optimizerStep"), names(ModelState.getClassSchema()));
    }

    @Test
    void eventTimesAreTimestampMillis() {
        for (Schema.Field field : List.of(SensorReading.getClassSchema().getField("eventTime"),
                Prediction.getClassSchema().getField("eventTime"),
                KeyState.getClassSchema().getField("lastEventTime"))) {
            assertNotNull(field.schema().getLogicalType(), field.name());
            assertEquals("timestamp-millis", field.schema().getLogicalType().getName());
        }
    }

    @Test
    void defaultsOfTheBuilders() {
        KeyState state = KeyState.newBuilder(Samples.keyState()).clearErrorStats().clearModelVersion().build();
        assertEquals(0, state.getErrorStats().remaining());
        assertEquals(0L, state.getModelVersion());
        Prediction first = Samples.firstPrediction();
        assertEquals(List.of(), first.getHorizon());
        assertNull(first.getPreviousError());
        assertFalse(first.getStateReset());
        SensorReading reading = SensorReading.newBuilder().setEventTime(Instant.EPOCH).setValues(List.of()).build();
        assertEquals(Map.of(), reading.getTags());
    }

    private static List<String> names(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }
}
