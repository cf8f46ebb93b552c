package io.rnnstreams.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.stream.DeadLetterReason;
import io.rnnstreams.stream.DeadLetters;
import io.rnnstreams.stream.PredictionJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The JSON lines and table rows {@code tail} prints for predictions, dead letters and undecodable records. */
class TailLinesTest {
    private static ConsumerRecord<byte[], byte[]> record(String topic, String key, byte[] value,
                                                         org.apache.kafka.common.header.Headers headers) {
        return new ConsumerRecord<>(topic, 1, 42L, 1_700_000_000_000L, TimestampType.CREATE_TIME, -1, -1,
                key.getBytes(StandardCharsets.UTF_8), value, headers, Optional.empty());
    }

    @Test
    void aPredictionLineCarriesTheRecordAndThePredictionsFields() {
        Prediction p = Prediction.newBuilder().setEventTime(Instant.ofEpochMilli(1_700_000_060_000L))
                .setForecast(List.of(21.625, -3.5)).setAnomalyScore(0.9875).setReadingsLearned(7)
                .setModelFingerprint("fp").setAnomaly(true).build();
        var line = TailLines.prediction(record("predictions", "pump-7", new byte[0],
                new org.apache.kafka.common.header.internals.RecordHeaders()), PredictionJson.toJson(p));

        assertEquals("{\"kind\":\"prediction\",\"sensor\":\"pump-7\",\"topic\":\"predictions\",\"partition\":1,"
                + "\"offset\":42,\"timestamp\":1700000000000,\"prediction\":" + PredictionJson.toJson(p) + "}",
                line.toString());
        assertEquals("2023-11-14T22:14:20Z      pump-7            prediction   ch0=21.625 ch1=-3.5  score 0.9875"
                + "  ANOMALY", TailLines.table(line));
    }

    @Test
    void aLaggedLineCarriesItsScoresAndAlarm() {
        io.rnnstreams.avro.LaggedOutput o = io.rnnstreams.avro.LaggedOutput.newBuilder().setSensor("pump-7")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).setSequence(5).setLag(3)
                .setSmoothed(List.of(1.5)).setResidual(List.of(-0.25)).setLaggedScore(0.5).setWarmingUp(false)
                .setScore(0.99995).setDated(0.999995).setAnomaly(true).build();
        var line = TailLines.lagged(record("lagged", "pump-7", new byte[0],
                new org.apache.kafka.common.header.internals.RecordHeaders()), o);

        assertEquals("{\"eventTime\":1700000000000,\"sequence\":5,\"lag\":3,\"smoothed\":[1.5],\"residual\":[-0.25],"
                + "\"laggedScore\":0.5,\"score\":0.99995,\"dated\":0.999995,\"anomaly\":true,\"warmingUp\":false}",
                line.get("lagged").toString());
        assertEquals("2023-11-14T22:13:20Z      pump-7            lagged       reading #5, 3 late: smoothed "
                + "ch0=1.5 (residual -0.25)  lagged score 0.5000  ANOMALY", TailLines.table(line));
    }

    @Test
    void aDeadLetterLineCarriesItsReasonDetailAndSource() {
        var headers = DeadLetters.headers(DeadLetterReason.DESERIALIZATION, "not a single-object message",
                "sensor-readings", 0, 17);
        var line = TailLines.deadLetter(record("dlq", "s-1", new byte[] {1, 2, 3}, headers));

        assertEquals("{\"kind\":\"dead-letter\",\"sensor\":\"s-1\",\"topic\":\"dlq\",\"partition\":1,\"offset\":42,"
                + "\"timestamp\":1700000000000,\"reason\":\"DESERIALIZATION\",\"detail\":\"not a single-object "
                + "message\",\"source\":{\"topic\":\"sensor-readings\",\"partition\":0,\"offset\":17},"
                + "\"valueBytes\":3}", line.toString());
        assertEquals("2023-11-14T22:13:20Z      s-1               dead-letter  DESERIALIZATION: not a single-object "
                + "message", TailLines.table(line));
    }

    @Test
    void anUndecodablePredictionSaysWhy() {
        var line = TailLines.undecodable(record("predictions", "s-1", new byte[] {9},
                new org.apache.kafka.common.header.internals.RecordHeaders()), new IllegalArgumentException("bad"));

        assertEquals("undecodable", line.get("kind").asText());
        assertEquals("bad", line.get("error").asText());
    }
}
