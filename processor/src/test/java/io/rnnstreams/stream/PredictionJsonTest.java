package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.config.ValueFormats;
import io.rnnstreams.config.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON form of a prediction: the value of {@code rnn.format.output=json} and what {@code tail} prints. */
class PredictionJsonTest {
    private static Prediction prediction() {
        return Prediction.newBuilder().setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setForecast(List.of(21.625, -3.5)).setHorizon(List.of(List.of(21.625, -3.5), List.of(21.75, Double.NaN)))
                .setPreviousError(null).setAnomalyScore(0.8125).setReadingsLearned(12L).setModelFingerprint("fp\"1")
                .setStateReset(true).setForecastTimes(List.of(Instant.ofEpochMilli(1_700_003_600_123L),
                        Instant.ofEpochMilli(1_700_007_200_123L))).setIntervalLevel(0.9)
                .setIntervalLower(List.of(List.of(20.5, -4.0), List.of(20.25, -4.25)))
                .setIntervalUpper(List.of(List.of(22.5, -3.0), List.of(22.75, -2.75)))
                .setChannelNames(List.of("temperature", "pressure")).setTags(java.util.Map.of("site", "north"))
                .build();
    }

    @Test
    void everyFieldByItsSchemaNameTimesInEpochMillisNoUnionWrappersNonFiniteAsNull() {
        String json = new String(ForecastTopology.predictionSerializer(
                new ValueFormats(WireFormat.SINGLE_OBJECT, WireFormat.JSON, null)).serialize("t", prediction()),
                StandardCharsets.UTF_8);

        assertEquals(expectedJson(), json);
        assertEquals(expectedJson(), PredictionJson.parse(json.getBytes(StandardCharsets.UTF_8)).toString());
    }

    /** Written out by hand from the schema's field order (extend it when a field is added). */
    private static String expectedJson() {
        return "{\"eventTime\":1700000000123,\"forecast\":[21.625,-3.5],"
                + "\"horizon\":[[21.625,-3.5],[21.75,null]],\"previousError\":null,\"anomalyScore\":0.8125,"
                + "\"readingsLearned\":12,\"modelFingerprint\":\"fp\\\"1\",\"stateReset\":true,\"anomaly\":false,"
                + "\"warmingUp\":false,\"channelContributions\":[],\"forecastTimes\":[1700003600123,1700007200123],"
                + "\"intervalLevel\":0.9,\"intervalLower\":[[20.5,-4.0],[20.25,-4.25]],"
                + "\"intervalUpper\":[[22.5,-3.0],[22.75,-2.75]],\"channelNames\":[\"temperature\",\"pressure\"],"
                + "\"tags\":{\"site\":\"north\"}}";
    }

    @Test
    void somethingElseIsNotAJsonObject() {
        assertEquals("not a JSON object: ARRAY", assertThrows(IllegalArgumentException.class,
                () -> PredictionJson.parse("[1]".getBytes(StandardCharsets.UTF_8))).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PredictionJson.parse(new byte[] {(byte) 0xC3, 1, 2}));
    }
}
