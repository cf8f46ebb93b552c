package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.LaggedOutput;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.avro.UndecodableRecordException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * A lagged output written before {@code score} ({@code LaggedOutput-v1.avsc}) is read by
 * {@link StateCodec#laggedCodec()} with score 0, one written before {@code dated} and {@code anomaly}
 * ({@code LaggedOutput-v2.avsc}) with dated 0 and no alarm; a new one round-trips them.
 */
class LaggedOutputHistoryTest {
    @Test
    void anOldLaggedOutputDecodesWithScoreZero() throws Exception {
        Schema v1;
        try (InputStream in = StateCodec.class.getClassLoader().getResourceAsStream(StateCodec.LAGGED_HISTORY.get(0))) {
            v1 = new Schema.Parser().parse(in);
        }
        GenericRecord r = new GenericData.Record(v1);
        r.put("sensor", "s");
        r.put("eventTime", 1_700_000_000_000L);
        r.put("sequence", 7L);
        r.put("lag", 3);
        r.put("smoothed", List.of(1.5));
        r.put("residual", List.of(0.25));
        r.put("laggedScore", 0.75);
        r.put("warmingUp", false);
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(r);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);

        assertThrows(UndecodableRecordException.class, () -> SingleObjectCodec.of(LaggedOutput.class).decode(bytes));
        LaggedOutput o = StateCodec.laggedCodec().decode(bytes);
        assertEquals(0.75, o.getLaggedScore(), 0.0);
        assertEquals(7L, o.getSequence());
        assertEquals(0.0, o.getScore(), 0.0);
    }

    @Test
    void aLaggedOutputWrittenBeforeTheDatedScoreAndTheAlarmDecodesWithTheirDefaults() throws Exception {
        Schema v2;
        try (InputStream in = StateCodec.class.getClassLoader().getResourceAsStream(StateCodec.LAGGED_HISTORY.get(1))) {
            v2 = new Schema.Parser().parse(in);
        }
        GenericRecord r = new GenericData.Record(v2);
        r.put("sensor", "s");
        r.put("eventTime", 1_700_000_000_000L);
        r.put("sequence", 8L);
        r.put("lag", 3);
        r.put("smoothed", List.of(1.5));
        r.put("residual", List.of(0.25));
        r.put("laggedScore", 0.75);
        r.put("warmingUp", false);
        r.put("score", 0.99999);
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(r);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);

        assertThrows(UndecodableRecordException.class, () -> SingleObjectCodec.of(LaggedOutput.class).decode(bytes));
        LaggedOutput o = StateCodec.laggedCodec().decode(bytes);
        assertEquals(8L, o.getSequence());
        assertEquals(0.99999, o.getScore(), 0.0);
        assertEquals(0.0, o.getDated(), 0.0);
        assertFalse(o.getAnomaly());
    }

    @Test
    void aNewLaggedOutputCarriesItsScoresAndAlarm() {
        LaggedOutput o = LaggedOutput.newBuilder().setSensor("s").setEventTime(Instant.ofEpochMilli(5)).setSequence(1)
                .setLag(3).setSmoothed(List.of(1.0)).setResidual(List.of(0.0)).setLaggedScore(0.5)
                .setWarmingUp(false).setScore(0.99995).setDated(0.999995).setAnomaly(true).build();
        SingleObjectCodec<LaggedOutput> codec = StateCodec.laggedCodec();
        LaggedOutput back = codec.decode(codec.encode(o));
        assertEquals(0.99995, back.getScore(), 0.0);
        assertEquals(0.999995, back.getDated(), 0.0);
        assertTrue(back.getAnomaly());
    }
}
