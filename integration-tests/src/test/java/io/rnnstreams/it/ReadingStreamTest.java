package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.stream.DeadLetterReason;
import io.rnnstreams.stream.DeadLetters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The negative controls of the checks every reliability test ends with ({@link ReadingStream#assertSameAsReference},
 * {@link ReadingStream#assertDeadLetters}), without a broker: each must pass on an exact copy of the reference and
 * fail on a duplicate, a gap, a flipped byte, a swapped pair, and one extra or missing dead letter.
 */
class ReadingStreamTest {
    static final int SENSORS = 3;
    static final int READINGS = 5;

    /** sensor-k's prediction t: 4 bytes that differ for every (k, t). */
    static Map<String, List<byte[]>> reference() {
        Map<String, List<byte[]>> out = new HashMap<>();
        for (int k = 0; k < SENSORS; k++) {
            List<byte[]> list = new ArrayList<>();
            for (int t = 0; t < READINGS; t++) {
                list.add(new byte[] {(byte) k, (byte) t, (byte) (k * 31 + t), 7});
            }
            out.put("sensor-" + k, list);
        }
        return out;
    }

    /** A deep copy, so that a planted change cannot reach the reference. */
    static Map<String, List<byte[]>> copy(Map<String, List<byte[]>> m) {
        Map<String, List<byte[]>> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, new ArrayList<>(v.stream().map(byte[]::clone).toList())));
        return out;
    }

    @Test
    void anExactCopyPasses() {
        ReadingStream.assertSameAsReference(reference(), copy(reference()), SENSORS, READINGS);
    }

    @Test
    void aDuplicateFails() {
        Map<String, List<byte[]>> actual = copy(reference());
        actual.get("sensor-1").add(3, actual.get("sensor-1").get(2).clone());
        AssertionError e = assertThrows(AssertionError.class,
                () -> ReadingStream.assertSameAsReference(reference(), actual, SENSORS, READINGS));
        assertTrue(e.getMessage().contains("exactly one committed prediction per reading"), e.getMessage());
        assertTrue(e.getMessage().contains("sensor-1=6"), e.getMessage());
    }

    @Test
    void aDuplicateOfOneSensorHiddenByAGapOfAnotherFails() {
        Map<String, List<byte[]>> actual = copy(reference());
        actual.get("sensor-0").add(actual.get("sensor-0").get(4).clone());
        actual.get("sensor-2").remove(0);
        AssertionError e = assertThrows(AssertionError.class,
                () -> ReadingStream.assertSameAsReference(reference(), actual, SENSORS, READINGS));
        assertTrue(e.getMessage().contains("sensor-0: exactly one committed prediction per reading"), e.getMessage());
    }

    @Test
    void aGapFails() {
        Map<String, List<byte[]>> actual = copy(reference());
        actual.get("sensor-2").remove(4);
        AssertionError e = assertThrows(AssertionError.class,
                () -> ReadingStream.assertSameAsReference(reference(), actual, SENSORS, READINGS));
        assertTrue(e.getMessage().contains("sensor-2=4"), e.getMessage());
    }

    @Test
    void aMissingSensorFails() {
        Map<String, List<byte[]>> actual = copy(reference());
        actual.remove("sensor-0");
        assertThrows(AssertionError.class,
                () -> ReadingStream.assertSameAsReference(reference(), actual, SENSORS, READINGS));
    }

    @Test
    void aFlippedByteFails() {
        Map<String, List<byte[]>> actual = copy(reference());
        actual.get("sensor-0").get(3)[2] ^= 0x01;
        AssertionError e = assertThrows(AssertionError.class,
                () -> ReadingStream.assertSameAsReference(reference(), actual, SENSORS, READINGS));
        assertTrue(e.getMessage().contains("sensor-0 prediction 3 differs"), e.getMessage());
    }

    @Test
    void aSwappedPairFails() {
        Map<String, List<byte[]>> actual = copy(reference());
        List<byte[]> s1 = actual.get("sensor-1");
        byte[] first = s1.get(1);
        s1.set(1, s1.get(2));
        s1.set(2, first);
        AssertionError e = assertThrows(AssertionError.class,
                () -> ReadingStream.assertSameAsReference(reference(), actual, SENSORS, READINGS));
        assertTrue(e.getMessage().contains("sensor-1 prediction 1 differs"), e.getMessage());
    }

    static ConsumerRecord<byte[], byte[]> deadLetter(DeadLetterReason reason) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("t-dead-letters", 0, 0L, new byte[] {1}, new byte[] {2});
        if (reason != null) {
            DeadLetters.headers(reason, "planted", "t-readings", 0, 0L).forEach(h -> r.headers().add(h));
        }
        return r;
    }

    @Test
    void deadLetterCountsPassWhenEqualAndFailOnAPlantedExtraOrMissingRecord() {
        List<ConsumerRecord<byte[], byte[]>> two = List.of(deadLetter(DeadLetterReason.NON_FINITE),
                deadLetter(DeadLetterReason.NULL_KEY));
        Map<DeadLetterReason, Integer> expected = Map.of(DeadLetterReason.NON_FINITE, 1, DeadLetterReason.NULL_KEY, 1);
        ReadingStream.assertDeadLetters(expected, two);
        ReadingStream.assertDeadLetters(Map.of(), List.of());

        List<ConsumerRecord<byte[], byte[]>> extra = new ArrayList<>(two);
        extra.add(deadLetter(DeadLetterReason.NON_FINITE));
        assertThrows(AssertionError.class, () -> ReadingStream.assertDeadLetters(expected, extra));
        assertThrows(AssertionError.class, () -> ReadingStream.assertDeadLetters(expected, two.subList(0, 1)));
        assertThrows(AssertionError.class,
                () -> ReadingStream.assertDeadLetters(Map.of(), List.of(deadLetter(null))), "a record without reason");
    }
}
