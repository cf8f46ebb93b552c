package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.avro.UndecodableRecordException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * A prediction written before the alarm fields ({@code Prediction-v1.avsc}) is read by
 * {@link StateCodec#predictionCodec()} with their defaults; a new one round-trips them.
 */
class PredictionHistoryTest {
    @Test
    void anOldPredictionDecodesWithoutAlarmWarmUpOrContributions() throws Exception {
        Schema v1;
        try (InputStream in = StateCodec.class.getClassLoader()
                .getResourceAsStream(StateCodec.PREDICTION_HISTORY.get(0))) {
            v1 = new Schema.Parser().parse(in);
        }
        GenericRecord r = new GenericData.Record(v1);
        r.put("eventTime", 1_700_000_000_000L);
        r.put("forecast", List.of(1.5, 2.5));
        r.put("horizon", List.of());
        r.put("previousError", null);
        r.put("anomalyScore", 0.75);
        r.put("readingsLearned", 12L);
        r.put("modelFingerprint", "fp");
        r.put("stateReset", true);
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(r);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);

        assertThrows(UndecodableRecordException.class, () -> SingleObjectCodec.of(Prediction.class).decode(bytes));
        Prediction p = StateCodec.predictionCodec().decode(bytes);
        assertEquals(0.75, p.getAnomalyScore(), 0.0);
        assertTrue(p.getStateReset());
        assertFalse(p.getAnomaly());
        assertFalse(p.getWarmingUp());
        assertEquals(List.of(), p.getChannelContributions());
    }

    @Test
    void aVersion2PredictionDecodesWithoutTimesIntervalsNamesOrTags() throws Exception {
        Schema v2;
        try (InputStream in = StateCodec.class.getClassLoader()
                .getResourceAsStream(StateCodec.PREDICTION_HISTORY.get(1))) {
            v2 = new Schema.Parser().parse(in);
        }
        GenericRecord r = new GenericData.Record(v2);
        r.put("eventTime", 1_700_000_000_000L);
        r.put("forecast", List.of(1.5, 2.5));
        r.put("horizon", List.of());
        r.put("previousError", List.of(0.25, -0.5));
        r.put("anomalyScore", 0.5);
        r.put("readingsLearned", 40L);
        r.put("modelFingerprint", "fp");
        r.put("stateReset", false);
        r.put("anomaly", true);
        r.put("warmingUp", false);
        r.put("channelContributions", List.of(0.25, 0.75));
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(r);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);

        assertThrows(UndecodableRecordException.class, () -> SingleObjectCodec.of(Prediction.class).decode(bytes));
        Prediction p = StateCodec.predictionCodec().decode(bytes);
        assertTrue(p.getAnomaly());
        assertEquals(List.of(0.25, 0.75), p.getChannelContributions());
        assertEquals(List.of(), p.getForecastTimes());
        assertEquals(null, p.getIntervalLevel());
        assertEquals(List.of(), p.getIntervalLower());
        assertEquals(List.of(), p.getIntervalUpper());
        assertEquals(List.of(), p.getChannelNames());
        assertEquals(java.util.Map.of(), p.getTags());
    }

    @Test
    void aNewPredictionCarriesItsAlarmFields() {
        Prediction p = Prediction.newBuilder().setEventTime(java.time.Instant.ofEpochMilli(5)).setForecast(List.of(1.0))
                .setAnomalyScore(0.99995).setReadingsLearned(200).setModelFingerprint("fp").setAnomaly(true)
                .setChannelContributions(List.of(1.0)).build();
        SingleObjectCodec<Prediction> codec = StateCodec.predictionCodec();
        Prediction back = codec.decode(codec.encode(p));
        assertTrue(back.getAnomaly());
        assertEquals(List.of(1.0), back.getChannelContributions());
        assertFalse(back.getWarmingUp());
    }
}
