package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.ProcessorJmx;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.SingleObjectCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, scenario 6 (soak): S sensors x R readings through the processor JVM ({@code rnn-streams.jar run},
 * fixed heap {@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch}, so that its resident memory is the heap plus what
 * grows outside it) under exactly_once_v2. The first quarter of the readings is produced, processed and
 * measured; then the second quarter, measured again; then the rest (each time with its last round alone, so that
 * the consumer's retained fetch is the same at every point: {@link #lastRoundAlone}). Asserts:
 * <ul>
 *   <li>exactly one prediction per reading;</li>
 *   <li>the processor's heap in use right after a full GC, as the collector reports it (over JMX,
 *       {@link ProcessorJmx#heapUsedAfterGc}), does not change with the readings ({@link Soak#heapChangesWithReadings}):
 *       it fails if from 25% to 100% of the readings the heap moved by 10% or more of its 25% value and from 50% to
 *       100% by two thirds of that, as a leak growing with the readings does. What the heap holds at a point was
 *       measured by class histograms and heap dumps at 25%, 50% and 100% (the hybrid defaults, 2026-12-07): what
 *       changed was the Kafka consumer's last fetch response (390 kB, 941 kB, 867 kB, up to
 *       {@code max.partition.fetch.bytes}, 1 MiB; 10,560 B at all three since each point's last round is produced
 *       alone) and the producer's pool of free 16 KiB batches (40, 48, 50 of them), a few hundred strings and metric
 *       samples; the record cache was the same at all three; nothing grew with the readings. Its negative control
 *       {@link #aPlantedHeapLeakFailsTheHeapCheck} plants a leak of 1 MB/s in every build;</li>
 *   <li>the processor's resident set ({@code VmRSS} of {@code /proc/<pid>/status}) less what RocksDB reports of its
 *       own memory ({@link RocksDbMemory}: the highest usage so far of the one shared cache of
 *       {@code rnn.state.rocksdb-memory}, 64 MiB by default, that also holds the memtables, sampled every 50 ms by
 *       {@link CachePeak}, and the table readers) does not change with the readings ({@link Soak#nativeGrowsWithReadings}):
 *       the heap check's rule with {@link #RSS_TOLERANCE} of the resident set at 25 %. Its negative control
 *       {@link #aPlantedNativeLeakFailsTheResidentSetCheck} plants a native leak of 16 MB/s in every build;</li>
 *   <li>the stored bytes per key do not grow: for every key, the latest value in the key-state and model
 *       changelogs after all readings has the same size as after the first quarter, except for the varint
 *       widths of its counters (event time, readings, update counts), which the test accounts for exactly;
 *       every packed vector has the same length.</li>
 * </ul>
 *
 * <p>CI size: 200 sensors x 500 readings (100,000), one partition. Full size: {@code -Dsoak.sensors=1000
 * -Dsoak.readings=1000000 -Dsoak.partitions=4} (readings is the total), or {@code mvn -B verify -Preliability}. Learners
 * ({@link Learner}): the plain RNN (LSTM, hidden 8, k1 = k2 = 16) in key scope (every sensor its own weights; all
 * cached), and the stream's defaults (the hybrid learner in shared scope: one model per stream task).
 */
@WithKafkaBroker
class SoakIT {
    static final int S = Integer.getInteger("soak.sensors", 200);
    static final int TOTAL = Integer.getInteger("soak.readings", 100_000);
    static final int R = TOTAL / S;
    /**
     * Input partitions, i.e. stream tasks, each with its own RocksDB instance per store. Kafka Streams' default
     * RocksDB write buffers (16 MB, up to 3 per store instance) fill with the changelogged writes and then stay
     * at that bound; RSS is flat only once they have filled. At the CI size a quarter of the readings writes
     * at most ~14 MB of model state (less on a fast machine, where the record cache folds more writes into
     * each commit): one partition concentrates it in one RocksDB per store (measured +2.4%, +4.4%, +7.0%),
     * four spread it (+7.5%, +8.8%, all of it outside the JVM's own memory). The full size writes ~140 MB by
     * its first measurement and runs with four (+1.5%). Those figures predate rnn.state.rocksdb-memory, which now
     * bounds RocksDB to one shared cache (since: +3.2%, +0.1%, +3.7%, +4.0% at the CI size).
     */
    static final int PARTITIONS = Integer.getInteger("soak.partitions", 1);
    /**
     * The negative control: {@code -Dsoak.leakBytesPerSecond=N} plants a heap leak of N bytes a second in the
     * processor's runs of {@link #residentMemoryAndStoredBytesPerKeyDoNotGrowWithReadings} and
     * {@link #theDefaultsDoNotGrowWithReadingsEither} (its test-only hook
     * {@code rnnstreams.test.leak-bytes-per-second}); its heap check must then fail, as
     * {@link #aPlantedHeapLeakFailsTheHeapCheck} shows in every build.
     */
    static final long LEAK_BYTES_PER_SECOND = Long.getLong("soak.leakBytesPerSecond", 0L);
    /**
     * As {@link #LEAK_BYTES_PER_SECOND} for native memory: {@code -Dsoak.nativeLeakBytesPerSecond=N} plants a leak of N
     * bytes a second of direct memory (the processor's test-only hook {@code rnnstreams.test.native-leak-bytes-per-second},
     * {@code TestLeaks}); the resident-set check must then fail, as {@link #aPlantedNativeLeakFailsTheResidentSetCheck}
     * shows in every build.
     */
    static final long NATIVE_LEAK_BYTES_PER_SECOND = Long.getLong("soak.nativeLeakBytesPerSecond", 0L);
    /**
     * The leak {@link #aPlantedHeapLeakFailsTheHeapCheck} plants, in bytes a second: at 500 kB/s the heap check
     * failed with +29.8% by hand; twice that keeps the control clear of the 10% limit on a fast machine too (the
     * second phase lasts at least ~5 s there) and leaks less than the heap holds on a slow one (~150 s).
     */
    static final long CONTROL_LEAK_BYTES_PER_SECOND = 1_000_000L;
    /**
     * The native leak {@link #aPlantedNativeLeakFailsTheResidentSetCheck} plants, in bytes a second. At 8 MB/s the
     * check failed with +19.2 % and +20.0 % from 25 % and +10.7 %, +11.9 % from 50 % on a loaded machine, where the
     * defaults take 7.5-9 s from 25 % to 100 %; a fast CI run takes 4.3 s, so that 8 MB/s would leak about the 10 %
     * limit; twice that keeps the control clear of it, and with 2 GiB of direct memory it leaks for ~2 min.
     */
    static final long CONTROL_NATIVE_LEAK_BYTES_PER_SECOND = 16_000_000L;
    /** {@code -Dsoak.jvmOptions="..."}: options appended to the processor's (e.g. -XX:NativeMemoryTracking=summary). */
    private static final String EXTRA_JVM_OPTIONS = System.getProperty("soak.jvmOptions", "").trim();
    /**
     * {@code -Dsoak.trimNativeHeap=true}: before reading the resident set at every point, the processor's C heap returns
     * its free memory to the system ({@link ProcessorJmx#trimNativeHeap}); the figures it prints show how much of the
     * resident set the allocator kept for reuse (7-47 MB, 2026-12-07). Off in the checks: they measure what the
     * process holds, which is what a deployment pays for.
     */
    static final boolean TRIM = Boolean.getBoolean("soak.trimNativeHeap");
    /** {@code -Dsoak.histograms=true}: a class histogram of the processor's live objects at every measurement. */
    private static final boolean HISTOGRAMS = Boolean.getBoolean("soak.histograms");
    /**
     * The resident-set check's limit ({@link Soak#nativeGrowsWithReadings}): the allowed change, relative to the resident
     * set at 25 %, of the resident set less RocksDB's own memory from 25 % to 100 % of the readings ({@link #LATE_SHARE}
     * of it from 50 %). The heap is pre-touched and fixed, so this sees native memory only. The raw resident set moved
     * +2.0 % to +11.3 % from 25 % in the defaults' CI runs (2026-12-07), mostly RocksDB's memtables filling (the
     * cache peaked at 10-21 MiB of its 64 MiB) and what the C allocator keeps after RocksDB and the JIT compiler free
     * it (7-47 MB, {@link #TRIM}); less the cache's peak, the checked soaks (defaults and plain RNN, 13 runs)
     * measured -0.5 % to +4.7 % from 25 % and -2.0 % to +2.2 % from 50 % (soak21, 2026-12-07, docs/testing.md), the
     * heap-leak control's soak (not checked) up to +8.0 % and +4.7 %, a peak of the JIT compiler's arenas (27 MB in
     * its NMT twin): so 10 %, not tighter; the planted 16 MB/s native leak goes past it (+34.6 %, +35.0 %,
     * +27.2 %, +27.3 %).
     */
    static final double RSS_TOLERANCE = 0.10;
    /**
     * Allowed relative change of the heap used after a full GC between a quarter and all of the readings (and
     * {@link #LATE_SHARE} of it between a half and all), relative to its value at a quarter.
     */
    static final double HEAP_TOLERANCE = Double.parseDouble(System.getProperty("soak.heapTolerance", "0.10"));
    /**
     * The share of the readings from 25% to 100% that come after 50%: 2/3 (exactly, in whole rounds of S). The heap
     * check also asks the growth from 50% to 100% to reach this share of its limit.
     */
    static final double LATE_SHARE = (double) (R - R / 2) / (R - R / 4);
    private static final SingleObjectCodec<KeyState> KEY_STATES = SingleObjectCodec.of(KeyState.class);
    private static final SingleObjectCodec<ModelState> MODELS = SingleObjectCodec.of(ModelState.class);

    /** The learner a soak runs: what it sets over the stream's defaults, and how many models it stores. */
    enum Learner {
        /**
         * The plain RNN in key scope, as measured since issue 5: every sensor its own model (the most memory per
         * key), LSTM, hidden 8, k1 = k2 = 16; one model per sensor.
         */
        PLAIN_RNN_KEY_SCOPE(Map.of("rnn.learner", "rnn", "rnn.model.scope", "key", "rnn.model.hidden", "8",
                "rnn.train.k1", "16", "rnn.train.k2", "16"), S),
        /**
         * The stream's defaults (rnn.learner=hybrid, rnn.model.scope=shared, their hidden size and k1/k2): nothing
         * set; one model per stream task, i.e. per partition, each stored under {@code "shared"}.
         */
        DEFAULTS(Map.of(), PARTITIONS);

        /** The settings {@link SensorFeed#settings} makes for the reliability tests' model, cleared here first. */
        private static final List<String> LEARNER_SETTINGS = List.of("rnn.learner", "rnn.model.scope",
                "rnn.model.hidden", "rnn.train.k1", "rnn.train.k2");
        private final Map<String, String> settings;
        /** Models in the model store's changelog (latest value per partition and key). */
        final int models;

        Learner(Map<String, String> settings, int models) {
            this.settings = settings;
            this.models = models;
        }

        /** {@code base} with the learner's settings in place of the shared model's. */
        Map<String, String> applyTo(Map<String, String> base) {
            LEARNER_SETTINGS.forEach(base::remove);
            base.putAll(settings);
            return base;
        }
    }

    @Test
    void residentMemoryAndStoredBytesPerKeyDoNotGrowWithReadings(KafkaBroker broker) throws Exception {
        assertNothingGrows(soak(broker, Learner.PLAIN_RNN_KEY_SCOPE, LEAK_BYTES_PER_SECOND, NATIVE_LEAK_BYTES_PER_SECOND),
                Learner.PLAIN_RNN_KEY_SCOPE);
    }

    /**
     * The same soak with the stream's defaults (the hybrid learner, shared scope): the same limits, a key state
     * per sensor and one model per stream task, none of them growing.
     */
    @Test
    void theDefaultsDoNotGrowWithReadingsEither(KafkaBroker broker) throws Exception {
        assertNothingGrows(soak(broker, Learner.DEFAULTS, LEAK_BYTES_PER_SECOND, NATIVE_LEAK_BYTES_PER_SECOND),
                Learner.DEFAULTS);
    }

    /**
     * Heap after GC and resident set within their tolerances, a key state per sensor and {@code learner.models}
     * models at 25% and 100%, each the same size at both points but for its counters' varint widths, and the
     * final key states at the last reading.
     */
    private static void assertNothingGrows(Soak soak, Learner learner) {
        Snapshot atQuarter = soak.atQuarter();
        Snapshot atEnd = soak.atEnd();
        assertFalse(soak.heapChangesWithReadings(), "the heap after GC grows with the readings: " + soak.heapFigures());
        assertFalse(soak.nativeGrowsWithReadings(), "the resident set besides RocksDB's own memory grows with the "
                + "readings: " + soak.nativeFigures());
        assertEquals(S, atQuarter.keyStates.size(), "a key state per sensor at 25%");
        assertEquals(S, atEnd.keyStates.size(), "a key state per sensor at 100%");
        assertEquals(learner.models, atQuarter.models.size(), learner + ": models at 25% " + atQuarter.models.keySet());
        assertEquals(learner.models, atEnd.models.size(), learner + ": models at 100% " + atEnd.models.keySet());
        for (String key : atQuarter.keyStates.keySet()) {
            assertSameSizeButCounters(key, "key state", atQuarter.keyStates.get(key), atEnd.keyStates.get(key),
                    SoakIT::keyStateFixedBytes);
        }
        for (String key : atQuarter.models.keySet()) {
            assertSameSizeButCounters(key, "model", atQuarter.models.get(key), atEnd.models.get(key),
                    SoakIT::modelFixedBytes);
        }
        assertEquals(EndToEndIT.time(R - 1), KEY_STATES.decode(atEnd.keyStates.get(SensorFeed.key(0)))
                .getLastEventTime().toEpochMilli(), "the final key state is at the last reading");
    }

    /**
     * The heap check's negative control, in the build (issue 16): the same soak with a heap leak planted in the
     * processor (its test-only hook, {@code TestLeaks}) must exceed the heap limit, while every reading still gets
     * exactly one prediction (checked inside {@link #soak}).
     */
    @Test
    void aPlantedHeapLeakFailsTheHeapCheck(KafkaBroker broker) throws Exception {
        Soak soak = soak(broker, Learner.PLAIN_RNN_KEY_SCOPE, CONTROL_LEAK_BYTES_PER_SECOND, 0);
        assertTrue(soak.heapChangesWithReadings(), String.format("a planted leak of %,d B/s should fail the heap check; %s",
                CONTROL_LEAK_BYTES_PER_SECOND, soak.heapFigures()));
    }

    /**
     * The resident-set check's negative control, as {@link #aPlantedHeapLeakFailsTheHeapCheck} is the heap check's:
     * the defaults' soak with a native leak planted in the processor (its test-only hook, {@code TestLeaks}:
     * direct buffers whose pages are written and kept) must fail the resident-set check while the heap check passes,
     * and every reading still gets exactly one prediction (checked inside {@link #soak}).
     */
    @Test
    void aPlantedNativeLeakFailsTheResidentSetCheck(KafkaBroker broker) throws Exception {
        Soak soak = soak(broker, Learner.DEFAULTS, 0, CONTROL_NATIVE_LEAK_BYTES_PER_SECOND);
        assertTrue(soak.nativeGrowsWithReadings(), String.format("a planted native leak of %,d B/s should fail the "
                + "resident-set check; %s", CONTROL_NATIVE_LEAK_BYTES_PER_SECOND, soak.nativeFigures()));
        assertFalse(soak.heapChangesWithReadings(), "a native leak leaves the heap check passing: " + soak.heapFigures());
    }

    /**
     * What one soak measured: the snapshots after a quarter, half and all of the readings, and the resident set's
     * relative change from a quarter to all (printed; the check is {@link #nativeGrowsWithReadings}).
     */
    private record Soak(Snapshot atQuarter, Snapshot atHalf, Snapshot atEnd, double rssChange) {
        /** Heap after GC from 25% to 100% of the readings, relative to its value at 25%. */
        double heapChange() {
            return (double) (atEnd.heapAfterGc - atQuarter.heapAfterGc) / atQuarter.heapAfterGc;
        }

        /** Heap after GC from 50% to 100% of the readings, relative to its value at 25% (as {@link #heapChange}). */
        double lateHeapChange() {
            return (double) (atEnd.heapAfterGc - atHalf.heapAfterGc) / atQuarter.heapAfterGc;
        }

        /**
         * The heap check: true if the heap after GC changed by {@link #HEAP_TOLERANCE} or more of its 25% value from
         * 25% to 100% of the readings, and also by {@link #LATE_SHARE} of that from 50% to 100%, in the same
         * direction. A leak that grows with the readings does both (its growth over the last half is exactly that
         * share of its growth over the last three quarters); what fills once and stays, such as the Kafka
         * producer's pool of 16 KiB batches, does only the first.
         */
        boolean heapChangesWithReadings() {
            double limit = HEAP_TOLERANCE;
            return Math.abs(heapChange()) >= limit && Math.abs(lateHeapChange()) >= LATE_SHARE * limit
                    && Math.signum(heapChange()) == Math.signum(lateHeapChange());
        }

        /**
         * The resident set besides RocksDB's own memory ({@link Snapshot#unexplainedKib}) from 25% to 100% of the
         * readings, relative to the resident set at 25%.
         */
        double nativeChange() {
            return (double) (atEnd.unexplainedKib() - atQuarter.unexplainedKib()) / atQuarter.rssKib;
        }

        /** As {@link #nativeChange} from 50% to 100% (still relative to the resident set at 25%). */
        double lateNativeChange() {
            return (double) (atEnd.unexplainedKib() - atHalf.unexplainedKib()) / atQuarter.rssKib;
        }

        /**
         * The resident-set check, the heap check's rule on what RocksDB's bounded memory does not explain: true if the
         * resident set less RocksDB's cache peak and table readers grew by {@link #RSS_TOLERANCE} or more of the
         * resident set at 25% from 25% to 100% of the readings, and by {@link #LATE_SHARE} of that from 50% to 100%, in
         * the same direction.
         */
        boolean nativeGrowsWithReadings() {
            double limit = RSS_TOLERANCE;
            return Math.abs(nativeChange()) >= limit && Math.abs(lateNativeChange()) >= LATE_SHARE * limit
                    && Math.signum(nativeChange()) == Math.signum(lateNativeChange());
        }

        String nativeFigures() {
            return String.format("resident set %,d / %,d / %,d KiB at 25%% / 50%% / 100%% of the readings, RocksDB's "
                            + "cache peak %,d / %,d / %,d KiB; the rest %,d / %,d / %,d KiB: %+.2f%% from 25%% (limit "
                            + "%.1f%%), %+.2f%% from 50%% (limit %.2f%%); resident set alone %+.2f%% from 25%%",
                    atQuarter.rssKib, atHalf.rssKib, atEnd.rssKib, atQuarter.rocksDb.cachePeak() / 1024,
                    atHalf.rocksDb.cachePeak() / 1024, atEnd.rocksDb.cachePeak() / 1024, atQuarter.unexplainedKib(),
                    atHalf.unexplainedKib(), atEnd.unexplainedKib(), 100 * nativeChange(), 100 * RSS_TOLERANCE,
                    100 * lateNativeChange(), 100 * LATE_SHARE * RSS_TOLERANCE, 100 * rssChange);
        }

        String heapFigures() {
            return String.format("heap after GC %,d B at 25%%, %,d B at 50%%, %,d B at 100%% of the readings: "
                            + "%+.2f%% from 25%% (limit %.0f%%), %+.2f%% from 50%% (limit %.2f%%)",
                    atQuarter.heapAfterGc, atHalf.heapAfterGc, atEnd.heapAfterGc, 100 * heapChange(),
                    100 * HEAP_TOLERANCE, 100 * lateHeapChange(), 100 * LATE_SHARE * HEAP_TOLERANCE);
        }
    }

    /**
     * Runs the soak of {@code learner} with a planted heap leak of {@code leakBytesPerSecond} and a planted native
     * leak of {@code nativeLeakBytesPerSecond} (0: none).
     */
    private static Soak soak(KafkaBroker broker, Learner learner, long leakBytesPerSecond, long nativeLeakBytesPerSecond)
            throws Exception {
        String id = "soak-" + UUID.randomUUID().toString().substring(0, 8);
        Path work = Path.of(System.getProperty("rnnstreams.broker.workDir", "target")).toAbsolutePath().resolve(id);
        Files.createDirectories(work);
        String input = id + "-readings";
        String predictions = id + "-predictions";
        String deadLetters = id + "-dead-letters";
        SensorFeed.createTopics(broker, input, predictions, deadLetters, PARTITIONS);
        Map<String, String> settings = learner.applyTo(SensorFeed.settings(id, broker.bootstrapServers(),
                work.resolve("state"), input, predictions, deadLetters));
        int quarterRounds = R / 4;
        int quarter = quarterRounds * S;
        int halfRounds = R / 2;
        int half = halfRounds * S;
        int total = R * S;

        long t0 = System.nanoTime();
        SensorFeed.produce(broker.bootstrapServers(), input, S, 0, quarterRounds - 1, SensorFeed.Invalid.NONE);
        Snapshot atQuarter;
        Snapshot atHalf;
        Snapshot atEnd;
        int jmxPort = KafkaBroker.freePorts(1)[0];
        try (ProcessorJvm jvm = ProcessorJvm.start(ProcessorJvm.locateJar(), settings, work, "run",
                jvmOptions(jmxPort, leakBytesPerSecond, nativeLeakBytesPerSecond));
             Progress progress = new Progress(broker.bootstrapServers(), predictions);
             ProcessorJmx jmx = ProcessorJmx.connect(jmxPort, Duration.ofMinutes(2));
             CachePeak cachePeak = new CachePeak(jmx, jvm)) {
            try {
                lastRoundAlone(broker, input, progress, jvm, quarterRounds, Duration.ofMinutes(10));
                double quarterSeconds = jvm.secondsSinceStart();
                atQuarter = snapshot(broker, id, jvm, jmx, cachePeak, quarter);
                System.out.printf("SoakIT: %,d of %,d predictions after %.1f s; %s%n", quarter, total, quarterSeconds,
                        atQuarter);
                long resumed = System.nanoTime();
                SensorFeed.produce(broker.bootstrapServers(), input, S, quarterRounds, halfRounds - 1, SensorFeed.Invalid.NONE);
                lastRoundAlone(broker, input, progress, jvm, halfRounds, Duration.ofMinutes(30));
                atHalf = snapshot(broker, id, jvm, jmx, cachePeak, half);
                System.out.printf("SoakIT: %,d of %,d predictions %.1f s after the first quarter; %s%n", half, total,
                        (System.nanoTime() - resumed) / 1e9, atHalf);
                SensorFeed.produce(broker.bootstrapServers(), input, S, halfRounds, R - 1, SensorFeed.Invalid.NONE);
                lastRoundAlone(broker, input, progress, jvm, R, Duration.ofMinutes(60));
                double restSeconds = (System.nanoTime() - resumed) / 1e9;
                progress.pollFor(Duration.ofSeconds(3));
                assertEquals(total, progress.count(), "exactly one prediction per reading");
                atEnd = snapshot(broker, id, jvm, jmx, cachePeak, total);
                System.out.printf("SoakIT: all %,d predictions %.1f s after the first quarter (%,.0f readings/s); %s%n",
                        total, restSeconds, (total - quarter) / restSeconds, atEnd);
                if (!cachePeak.timeline().isEmpty()) {
                    System.out.print("SoakIT timeline (" + cachePeak.samples() + " samples):\n" + cachePeak.timeline());
                }
            } catch (Throwable e) {
                System.out.println("SoakIT failed; processor logs: " + jvm.logs());
                throw e;
            }
        }

        double change = (double) (atEnd.rssKib - atQuarter.rssKib) / atQuarter.rssKib;
        System.out.printf("SoakIT %s: %d sensors x %,d readings, %d partitions; resident set %,d KiB at 25%%, %,d KiB at 100%% "
                        + "(%+.1f%%); stored bytes per key: key state %s -> %s, model %s -> %s; total %.1f s%n", learner, S, R, PARTITIONS,
                atQuarter.rssKib, atEnd.rssKib, 100 * change, atQuarter.keyStateSizes(), atEnd.keyStateSizes(),
                atQuarter.modelSizes(), atEnd.modelSizes(), (System.nanoTime() - t0) / 1e9);
        Soak soak = new Soak(atQuarter, atHalf, atEnd, change);
        System.out.printf("SoakIT %s: %s%s%n", learner, soak.heapFigures(),
                leakBytesPerSecond > 0 ? "; planted leak " + leakBytesPerSecond + " B/s" : "");
        System.out.printf("SoakIT %s: %s%s%n", learner, soak.nativeFigures(),
                nativeLeakBytesPerSecond > 0 ? "; planted native leak " + nativeLeakBytesPerSecond + " B/s" : "");
        return soak;
    }

    /**
     * Waits for the predictions of every round before {@code rounds - 1} (already produced), then produces the
     * round {@code rounds - 1} alone and waits for its predictions: a measurement point. The processor's consumer
     * keeps its last fetch response (up to {@code max.partition.fetch.bytes}, 1 MiB) until another one brings
     * records, so an idle processor holds whatever its last fetch happened to bring: 390 kB, 941 kB and 867 kB at
     * the three points of one soak of the defaults (heap dumps), up to 6 % of its 17 MB heap. With the last round
     * alone it holds at most one round's readings at every point.
     */
    private static void lastRoundAlone(KafkaBroker broker, String input, Progress progress, ProcessorJvm jvm,
                                       int rounds, Duration timeout) throws Exception {
        progress.await((rounds - 1) * S, jvm, timeout);
        SensorFeed.produce(broker.bootstrapServers(), input, S, rounds - 1, rounds, SensorFeed.Invalid.NONE);
        progress.await(rounds * S, jvm, timeout);
    }

    /**
     * Fixed, pre-touched heap, JMX on {@code jmxPort}, the planted leaks if any (the native one with room for 2 GiB of
     * direct memory, so that it stops only after ~2 min at the control's rate), then {@link #EXTRA_JVM_OPTIONS}.
     */
    private static List<String> jvmOptions(int jmxPort, long leakBytesPerSecond, long nativeLeakBytesPerSecond) {
        List<String> options = new java.util.ArrayList<>(List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"));
        options.addAll(ProcessorJmx.jvmOptions(jmxPort));
        if (leakBytesPerSecond > 0) {
            options.add("-Drnnstreams.test.leak-bytes-per-second=" + leakBytesPerSecond);
        }
        if (nativeLeakBytesPerSecond > 0) {
            options.add("-Drnnstreams.test.native-leak-bytes-per-second=" + nativeLeakBytesPerSecond);
            options.add("-XX:MaxDirectMemorySize=2g");
        }
        if (!EXTRA_JVM_OPTIONS.isEmpty()) {
            options.addAll(List.of(EXTRA_JVM_OPTIONS.split("\\s+")));
        }
        return options;
    }

    /** With native memory tracking on: the JVM's own committed memory ({@code jcmd VM.native_memory}), else "". */
    private static String nativeMemory(ProcessorJvm jvm) {
        if (!EXTRA_JVM_OPTIONS.contains("-XX:NativeMemoryTracking")) {
            return "";
        }
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(jvm.pid()), "VM.native_memory", "summary").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            Path file = Path.of(jvm.logs().split(" ")[0] + ".nmt-" + System.nanoTime());
            Files.writeString(file, out);
            // "-  Java Heap (reserved=262144KB, committed=262144KB)" and "Total: reserved=..KB, committed=..KB"
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "^\\s*-?\\s*([A-Za-z ]+?):? \\(?reserved=\\d+KB, committed=(\\d+)KB", java.util.regex.Pattern.MULTILINE)
                    .matcher(out);
            StringBuilder committed = new StringBuilder("committed KiB:");
            while (m.find()) {
                committed.append(' ').append(m.group(1).trim().replace(' ', '_')).append('=').append(m.group(2));
            }
            return committed + " (" + file + ")";
        } catch (Exception e) {
            return "jcmd failed: " + e;
        }
    }

    /**
     * With {@code -Dsoak.histograms=true}: the processor's class histogram of live objects ({@code jcmd
     * GC.class_histogram}, which runs a full GC first) written next to its logs; its total line and file, else "".
     */
    private static String classHistogram(ProcessorJvm jvm, int predictions) {
        if (!HISTOGRAMS) {
            return "";
        }
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(jvm.pid()), "GC.class_histogram").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            Path file = Path.of(jvm.logs().split(" ")[0] + ".histogram-" + predictions);
            Files.writeString(file, out);
            return "live objects " + out.lines().filter(l -> l.startsWith("Total")).findFirst().orElse("?").trim()
                    + " (" + file + ")";
        } catch (Exception e) {
            return "jcmd failed: " + e;
        }
    }

    /** Resident set of the processor and the latest changelog value of every key, once it is idle. */
    private static Snapshot snapshot(KafkaBroker broker, String applicationId, ProcessorJvm jvm, ProcessorJmx jmx,
                                     CachePeak cachePeak, int predictions) throws Exception {
        Map<String, byte[]> keyStates = KafkaClients.latestValues(broker.bootstrapServers(),
                applicationId + "-rnn-key-state-changelog", Duration.ofMinutes(5));
        // by partition and key: in shared scope every stream task stores its model under the same key
        Map<String, byte[]> models = KafkaClients.latestValues(broker.bootstrapServers(),
                applicationId + "-rnn-models-changelog", Duration.ofMinutes(5), (partition, key) -> partition + "/" + key);
        long rss = jvm.residentKib();
        long heap = jmx.heapUsedAfterGc();
        if (TRIM) {
            String trimmed = jmx.trimNativeHeap();
            long untrimmed = rss;
            rss = jvm.residentKib();
            System.out.printf("SoakIT: at %d predictions, resident set %,d KiB before the trim, %,d KiB after (%s)%n",
                    predictions, untrimmed, rss, trimmed);
        }
        RocksDbMemory rocksDb = RocksDbMemory.read(jmx, cachePeak);
        String nmt = nativeMemory(jvm);
        if (!nmt.isEmpty()) {
            System.out.println("SoakIT: at " + predictions + " predictions, RSS " + rss + " KiB, " + rocksDb + "; JVM "
                    + nmt);
        }
        String histogram = classHistogram(jvm, predictions);
        if (!histogram.isEmpty()) {
            System.out.println("SoakIT: at " + predictions + " predictions, heap after GC " + heap + " B, " + histogram);
        }
        return new Snapshot(predictions, rss, heap, rocksDb, keyStates, models);
    }

    /**
     * Fails unless {@code before} and {@code after} have the same length once the varint widths of their
     * numeric fields are taken out, and the same packed-vector lengths.
     */
    private static void assertSameSizeButCounters(String key, String what, byte[] before, byte[] after,
                                                  Function<byte[], String> layout) {
        assertTrue(before != null && after != null, key + ": " + what + " missing");
        assertEquals(layout.apply(before), layout.apply(after), key + ": " + what + " grew from "
                + before.length + " to " + after.length + " bytes, beyond its counters' varint widths");
    }

    /**
     * The encoded length minus the varint bytes of every int and long field, and the length of every packed
     * vector: equal for two states of one key unless something but a counter's width grew.
     */
    static String keyStateFixedBytes(byte[] encoded) {
        KeyState s = KEY_STATES.decode(encoded);
        long varints = varint(s.getStateVersion()) + varint(s.getLastEventTime().toEpochMilli())
                + varint(s.getWindowCount()) + varint(s.getWindowHead()) + varint(s.getPushesSinceUpdate())
                + varint(s.getNormaliserCount()) + varint(s.getReadings()) + varint(s.getModelVersion())
                + varint(s.getErrorCount()) + varints(s.getIntervals()) + varints(s.getHybridCounters());
        return (encoded.length - varints) + " bytes besides counters; vectors " + List.of(
                s.getHiddenState().remaining(), s.getAnchor().remaining(), s.getWindowInputs().remaining(),
                s.getWindowTargets().remaining(), s.getNormaliserMean().remaining(), s.getNormaliserM2().remaining(),
                s.getLastInput().remaining(), s.getLastForecast().remaining(), s.getErrorStats().remaining(),
                s.getErrorAbsSum().remaining(), s.getErrorSquaredSum().remaining(), s.getDetectorState().remaining(),
                s.getPredictionIntervalState().remaining(), s.getHybridExact().remaining(),
                s.getHybridValues().remaining(), s.getHybridHalves().remaining())
                + "; counters " + List.of(s.getIntervals().size(), s.getHybridCounters().size());
    }

    /** As {@link #keyStateFixedBytes} for a model state. */
    static String modelFixedBytes(byte[] encoded) {
        ModelState m = MODELS.decode(encoded);
        long varints = varint(m.getStateVersion()) + varint(m.getUpdates()) + varint(m.getRestores())
                + varint(m.getOptimizerStep());
        return (encoded.length - varints) + " bytes besides counters; vectors " + List.of(
                m.getParameters().remaining(), m.getOptimizerState().remaining());
    }

    /** Bytes of the varints of {@code counters}' items (an array's block counts are fixed by its size). */
    static long varints(List<Long> counters) {
        return counters.stream().mapToLong(SoakIT::varint).sum();
    }

    /** Bytes of Avro's zig-zag varint encoding of {@code v}. */
    static int varint(long v) {
        long z = (v << 1) ^ (v >> 63);
        int n = 1;
        while ((z & ~0x7FL) != 0) {
            z >>>= 7;
            n++;
        }
        return n;
    }

    /** The processor's state at one point: resident set and latest changelog values per key. */
    record Snapshot(int predictions, long rssKib, long heapAfterGc, RocksDbMemory rocksDb, Map<String, byte[]> keyStates,
                    Map<String, byte[]> models) {
        /** The resident set less what RocksDB reports of its own memory ({@link RocksDbMemory#explainedBytes}), KiB. */
        long unexplainedKib() {
            return rssKib - rocksDb.explainedBytes() / 1024;
        }

        String keyStateSizes() {
            return sizes(keyStates);
        }

        String modelSizes() {
            return sizes(models);
        }

        private static String sizes(Map<String, byte[]> values) {
            TreeMap<Integer, Integer> bySize = new TreeMap<>();
            values.values().forEach(v -> bySize.merge(v.length, 1, Integer::sum));
            return bySize.firstKey().equals(bySize.lastKey()) ? bySize.firstKey() + " B"
                    : bySize.firstKey() + ".." + bySize.lastKey() + " B";
        }

        @Override
        public String toString() {
            return String.format("%,d predictions: resident set %,d KiB (%,d KiB besides RocksDB's own), heap after GC %,d B; "
                    + "%s; latest changelog values of %d keys: key state %s, model %s", predictions, rssKib,
                    unexplainedKib(), heapAfterGc, rocksDb, keyStates.size(), keyStateSizes(), modelSizes());
        }
    }

    /**
     * What RocksDB reports of its own memory over JMX (Kafka Streams' property-based RocksDB metrics, KIP-607, group
     * {@code stream-state-metrics}, recorded at the default INFO level): the shared block cache's usage (every store
     * reports the one cache {@code BoundedRocksDbMemory} gives them all, so the largest value, not the sum), which
     * also holds the memtables' reservations (the write-buffer manager charges them to the cache) and the index and
     * filter blocks; of it the pinned part; the memtables themselves (summed over stores, already inside the cache
     * usage); and the table readers' memory outside the cache (summed).
     */
    record RocksDbMemory(long cacheUsage, long cachePeak, long cachePinned, long cacheCapacity, long memTables,
                         long tableReaders, int stores) {
        static final String GROUP = "stream-state-metrics";

        static RocksDbMemory read(ProcessorJmx jmx, CachePeak peak) throws Exception {
            ProcessorJmx.Sum usage = jmx.max(GROUP, "block-cache-usage");
            return new RocksDbMemory((long) usage.total(), peak.peak((long) usage.total()), (long) jmx.max(GROUP, "block-cache-pinned-usage").total(),
                    (long) jmx.max(GROUP, "block-cache-capacity").total(),
                    (long) jmx.sum(GROUP, "cur-size-all-mem-tables").total(),
                    (long) jmx.sum(GROUP, "estimate-table-readers-mem").total(), usage.mbeans());
        }

        /** The bytes RocksDB accounts for: the shared cache's highest usage so far and the table readers outside it. */
        long explainedBytes() {
            return cachePeak + tableReaders;
        }

        @Override
        public String toString() {
            return String.format("RocksDB (%d stores): cache %,d KiB (peak %,d KiB) of %,d KiB (pinned %,d KiB), "
                    + "memtables %,d KiB, table readers %,d KiB", stores, cacheUsage / 1024, cachePeak / 1024,
                    cacheCapacity / 1024, cachePinned / 1024,
                    memTables / 1024, tableReaders / 1024);
        }
    }

    /**
     * The highest usage of RocksDB's shared cache seen so far, sampled over JMX every {@link #PERIOD_MS} ms while the
     * processor runs. The memory a memtable or a cached block held stays in the resident set after RocksDB frees it
     * (the C allocator keeps freed chunks for reuse rather than returning them to the system), so the resident set
     * follows the cache's high-water mark, not its current usage: after a flush the usage drops by the flushed
     * memtable while the resident set does not. With {@code -Dsoak.timeline=true} every sample is kept and printed.
     */
    static final class CachePeak implements AutoCloseable {
        static final long PERIOD_MS = 50;
        private static final boolean TIMELINE = Boolean.getBoolean("soak.timeline");
        private final java.util.concurrent.ScheduledExecutorService sampler =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "soak-cache-peak");
                    t.setDaemon(true);
                    return t;
                });
        private final ProcessorJmx jmx;
        private final ProcessorJvm jvm;
        private final StringBuilder timeline = new StringBuilder();
        private long peak;
        private int samples;

        CachePeak(ProcessorJmx jmx, ProcessorJvm jvm) {
            this.jmx = jmx;
            this.jvm = jvm;
            sampler.scheduleWithFixedDelay(this::sample, 0, PERIOD_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        private void sample() {
            try {
                long usage = (long) jmx.max(RocksDbMemory.GROUP, "block-cache-usage").total();
                synchronized (this) {
                    peak = Math.max(peak, usage);
                    samples++;
                    if (TIMELINE) {
                        timeline.append(String.format("%.2f s: cache %,d KiB, memtables %,d KiB, RSS %,d KiB%n",
                                jvm.secondsSinceStart(), usage / 1024,
                                (long) jmx.sum(RocksDbMemory.GROUP, "cur-size-all-mem-tables").total() / 1024,
                                jvm.residentKib()));
                    }
                }
            } catch (Exception stoppingOrStarting) {
                // the stores are not open yet, or the JVM is going away: no sample
            }
        }

        /** The highest usage sampled so far, at least {@code now} (the usage read at a snapshot). */
        synchronized long peak(long now) {
            peak = Math.max(peak, now);
            return peak;
        }

        synchronized int samples() {
            return samples;
        }

        synchronized String timeline() {
            return timeline.toString();
        }

        @Override
        public void close() {
            sampler.shutdownNow();
        }
    }

    /** Counts committed predictions (read_committed, from the beginning). */
    static final class Progress implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private int count;

        Progress(String bootstrap, String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        int count() {
            return count;
        }

        /** Polls until {@code goal} predictions were seen; fails if the JVM exits or after {@code timeout}. */
        void await(int goal, ProcessorJvm jvm, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count < goal) {
                if (!jvm.isAlive()) {
                    throw new AssertionError("the processor JVM exited with code " + jvm.exitCode() + " at " + count
                            + " committed predictions, waiting for " + goal);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + count + " committed predictions, waiting for " + goal
                            + ", after " + timeout);
                }
                count += consumer.poll(Duration.ofMillis(100)).count();
            }
        }

        void pollFor(Duration duration) {
            long until = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < until) {
                count += consumer.poll(Duration.ofMillis(100)).count();
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
