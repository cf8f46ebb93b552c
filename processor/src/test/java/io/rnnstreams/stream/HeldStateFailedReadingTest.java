package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.config.Smoothing;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelCacheBudget;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.stream.registry.RegistryUnavailableException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid reading that fails after its learner changed the held state (branch rev20's review of tput18h's deferred
 * export, {@link HeldKeyStates}): the key's previous write, still pending, exports that state when it is built, and
 * Kafka Streams 4.3 builds it even for a task it closes dirty ({@code TaskManager.closeTaskDirty} calls {@code
 * prepareCommit(false)}, which flushes the caches: {@link PendingWritesStore#flushCache}). Under at_least_once that
 * write reaches the store and the changelog: the learner's state after the failed reading beside the sensor state
 * before it. The processor is driven directly (a {@code TopologyTestDriver} commits after every record, so a key's
 * write is never pending at its next reading there), its commits made by calling the flush.
 */
class HeldStateFailedReadingTest {
    static final int N = 20;
    static final String KEY = "sensor-0";

    @TempDir
    Path dir;

    /** One task's processor over its stores, with the lagged sink's send failing on demand. */
    private static final class Task {
        final PendingWritesStore<KeyState> keyStates;
        final ForecastProcessor processor;
        boolean laggedSendFails;

        @SuppressWarnings("unchecked")
        Task(StreamSettings settings, Path stateDir) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "held-state-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            MockProcessorContext<String, Object> context = new MockProcessorContext<>(props, new TaskId(0, 0),
                    stateDir.toFile()) {
                @Override
                public <K extends String, V> void forward(Record<K, V> record, String childName) {
                    if (laggedSendFails && ForecastTopology.LAGGED_SINK.equals(childName)) {
                        // as the sink's serializer throws when the schema registry does not answer
                        throw new RegistryUnavailableException("planted: the registry does not answer", null);
                    }
                    super.forward(record, childName);
                }
            };
            context.setCurrentSystemTimeMs(time(N + 1)); // the wall clock after every reading's event time
            PendingWritesStore.Registry<KeyState> keyStores = PendingWritesStore.builder(
                    ForecastTopology.KEY_STATE_STORE, new AvroSerde<>(StateCodec.keyStateCodec()));
            PendingWritesStore.Registry<ModelState> modelStores = PendingWritesStore.builder(
                    ForecastTopology.MODEL_STORE, AvroSerde.of(ModelState.class));
            KeyValueStore<String, KeyState> keyStore = keyStores.withCachingDisabled().withLoggingDisabled().build();
            KeyValueStore<String, ModelState> modelStore =
                    modelStores.withCachingDisabled().withLoggingDisabled().build();
            KeyValueStore<String, ModelState> smootherStore = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(ForecastTopology.SMOOTHER_MODEL_STORE), Serdes.String(),
                    AvroSerde.of(ModelState.class)).withLoggingDisabled().build();
            for (KeyValueStore<String, ?> store : new KeyValueStore[] {keyStore, modelStore, smootherStore}) {
                store.init(context.getStateStoreContext(), store);
                context.addStateStore(store);
            }
            this.keyStates = keyStores.forTask(context.taskId());
            this.processor = new ForecastProcessor(settings, InitialModels.of(settings),
                    new ModelCacheBudget(settings.limits().modelCacheBytes()), ProcessorMetrics.NO_METER_REGISTRY,
                    modelStores, keyStores);
            processor.init(context);
        }

        void send(int t) {
            byte[] bytes = TopologyFixture.encode(time(t), reading(0, t));
            processor.process(new Record<>(KEY, new RawReading(bytes, TopologyFixture.READINGS.decode(bytes), null),
                    time(t)));
        }

        /** What a commit (or a dirty close's flush) writes: the pending writes, built now. */
        void flush() {
            keyStates.flushCache();
        }

        byte[] stored() {
            KeyState state = keyStates.get(KEY);
            return state == null ? null : StateCodec.keyStateCodec().encode(state);
        }
    }

    static StreamSettings settings() {
        return HybridStreamTest.settings(ModelScope.SHARED).withSmoothing(new Smoothing(3,
                Smoothing.defaultTopic(TopologyFixture.PREDICTIONS)));
    }

    @Test
    void aReadingThatFailsAfterItsLearnerChangedTheHeldStateLeavesNoWriteOfThatState() {
        // the store's record after a commit at reading N - 2, and after one at reading N - 1
        byte[] committedBefore;
        byte[] committedAfter;
        Task reference = new Task(settings(), dir.resolve("reference"));
        for (int t = 0; t < N - 1; t++) {
            reference.send(t);
        }
        reference.flush();
        committedBefore = reference.stored();
        reference.send(N - 1);
        reference.flush();
        committedAfter = reference.stored();
        assertFalse(Arrays.equals(committedBefore, committedAfter));
        reference.processor.close();

        Task task = new Task(settings(), dir.resolve("failing"));
        for (int t = 0; t < N - 1; t++) {
            task.send(t);
        }
        task.flush();
        task.send(N - 1); // its write waits for the commit; its learner state is held
        task.laggedSendFails = true;
        // the lagged output is sent after the learner changed the held state, before the reading's own write
        assertThrows(RegistryUnavailableException.class, () -> task.send(N));
        task.flush(); // Kafka Streams 4.3 flushes a task it closes dirty (TaskManager.closeTaskDirty)
        byte[] stored = task.stored();
        if (!Arrays.equals(stored, committedAfter)) {
            assertArrayEquals(committedBefore, stored, "the stored key state is neither the one after reading "
                    + (N - 1) + " nor the one of the last commit (" + (N - 2) + "): a write built from the held state "
                    + "after the failed reading " + N + " changed it");
        }
        assertEquals(0, task.keyStates.pendingCount());
        task.processor.close();
    }
}
