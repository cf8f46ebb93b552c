package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rnnstreams.config.Smoothing;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.stream.registry.RegistryUnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hybrid key states a task holds ({@link HeldKeyStates}) with several readings of a key between two commits, the
 * processor driven directly and its commits made by calling the key-state store's flush: a {@code
 * TopologyTestDriver} commits after every record, so there a key's write is never pending at its next reading and the
 * deferred export (branch tput18h: the write exports the held state when the store builds it) is never exercised.
 * Branch rev20's review: a task holding the states stores and forwards what one holding none does; a reading that
 * fails after its learner changed the held state leaves no write built from the changed state (Kafka Streams 4.3
 * flushes a task it closes dirty too: {@code TaskManager.closeTaskDirty} calls {@code prepareCommit(false)}).
 */
class HeldStatesBetweenCommitsTest {
    static final int N = 20;
    static final String KEY = "sensor-0";

    @TempDir
    Path dir;

    static StreamSettings settings() {
        return HybridStreamTest.settings(ModelScope.SHARED).withSmoothing(new Smoothing(3,
                Smoothing.defaultTopic(TopologyFixture.PREDICTIONS)));
    }

    @Test
    void aReadingThatFailsAfterItsLearnerChangedTheHeldStateLeavesNoWriteOfThatState() {
        // the store's record after a commit at reading N - 2, and after one at reading N - 1
        byte[] committedBefore;
        byte[] committedAfter;
        MockContextTask reference = new MockContextTask(settings(), dir.resolve("reference"));
        for (int t = 0; t < N - 1; t++) {
            reference.send(KEY, 0, t);
        }
        reference.flush();
        committedBefore = reference.stored(KEY);
        reference.send(KEY, 0, N - 1);
        reference.flush();
        committedAfter = reference.stored(KEY);
        assertFalse(Arrays.equals(committedBefore, committedAfter));
        reference.processor.close();

        MockContextTask task = new MockContextTask(settings(), dir.resolve("failing"));
        for (int t = 0; t < N - 1; t++) {
            task.send(KEY, 0, t);
        }
        task.flush();
        task.send(KEY, 0, N - 1); // its write waits for the commit; its learner state is held
        task.laggedSendFails = true;
        // the lagged output is sent after the learner changed the held state, before the reading's own write
        assertThrows(RegistryUnavailableException.class, () -> task.send(KEY, 0, N));
        task.flush(); // Kafka Streams 4.3 flushes a task it closes dirty (TaskManager.closeTaskDirty)
        byte[] stored = task.stored(KEY);
        if (!Arrays.equals(stored, committedAfter)) {
            assertArrayEquals(committedBefore, stored, "the stored key state is neither the one after reading "
                    + (N - 1) + " nor the one of the last commit (" + (N - 2) + "): a write built from the held state "
                    + "after the failed reading " + N + " changed it");
        }
        assertEquals(0, task.keyStates.pendingCount());
        task.processor.close();
    }

    /**
     * What the deferred export must not change, with several readings of a key between two commits (which the
     * {@code TopologyTestDriver} runs of {@code HeldKeyStatesTest} never have: it commits after every record, so every
     * write is built right after its reading): a task holding every key, or 2 of the 4 (dropped states reused by
     * other keys' restores while their writes are pending), forwards and stores, at every commit, exactly what a
     * task holding none does. Commits every 7 readings; sensors 0 and 1 at every step, 2 and 3 at alternate ones.
     */
    @Test
    void betweenCommitsHoldingStatesChangesNoOutputAndNoStoredByte() {
        List<String> fromStore = run(0, "none");
        // 4 keys stored at each of 180 / 7 commits; 180 predictions; lagged judgements: 57 of sensors 0 and 1, 27 of 2, 3
        assertEquals(180 / 7 * 4 + 180 + 2 * 57 + 2 * 27, fromStore.size(), "no dead letter, every reading judged");
        assertSameRun(fromStore, run(2, "two"), "holding 2 keys");
        assertSameRun(fromStore, run(1000, "all"), "holding every key");
    }

    /** Fails at the first line that differs (not printing them all). */
    private static void assertSameRun(List<String> expected, List<String> actual, String label) {
        assertEquals(expected.size(), actual.size(), label);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), label + ": line " + i);
        }
    }

    /** Every forwarded record (sink, key, bytes) and, at every commit, every key's stored state. */
    private List<String> run(int heldKeys, String name) {
        StreamSettings settings = settings();
        MockContextTask task = new MockContextTask(settings.withLimits(settings.limits().withHeldKeys(heldKeys)), dir.resolve(name));
        List<String> seen = new ArrayList<>();
        int sent = 0;
        for (int t = 0; t < 60; t++) {
            for (int k : t % 2 == 0 ? new int[] {0, 1, 2} : new int[] {0, 1, 3}) {
                task.send("sensor-" + k, k, t);
                if (++sent % 7 == 0) {
                    task.flush();
                    for (int j = 0; j < 4; j++) {
                        seen.add("stored sensor-" + j + " " + Arrays.toString(task.stored("sensor-" + j)));
                    }
                }
            }
        }
        for (MockProcessorContext.CapturedForward<?, ?> f : task.context.forwarded()) {
            Object value = f.record().value();
            String bytes = value instanceof io.rnnstreams.avro.Prediction p
                    ? Arrays.toString(TopologyFixture.PREDICTION_CODEC.encode(p))
                    : value instanceof byte[] b ? Arrays.toString(b) : String.valueOf(value);
            seen.add(f.childName().orElse("") + " " + f.record().key() + " " + bytes);
        }
        task.processor.close();
        return seen;
    }
}
