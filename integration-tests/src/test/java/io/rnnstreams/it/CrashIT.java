package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.it.broker.WorkDirs;
import io.rnnstreams.it.broker.ProcessorJvms;
import io.rnnstreams.config.AppConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, scenario 1 (crash): the processor runs as its own JVM ({@code rnn-streams.jar run}) under
 * exactly_once_v2 and is killed with SIGKILL at several seeded random points while S sensors x R readings
 * (all produced up front, idempotently, to a 4-partition topic) flow through it. After each kill it is
 * restarted on the same state directory, except once on an empty one (state restored from the changelog).
 * After the last restart it runs to the end; then a read_committed consumer must see exactly S x R
 * predictions (and still S x R a few seconds later), per sensor byte-identical to a TopologyTestDriver run
 * of the same input and configuration.
 *
 * <p>Kill points: kill i happens once the read_committed prediction count reaches a fraction drawn in the
 * i-th of {@code kills} equal strata of [15%, 85%] of the total (so the points are increasing).
 *
 * <p>CI size: 20 sensors x 1,000 readings, 3 kills. Reliability size:
 * {@code -Dcrash.sensors=20 -Dcrash.readings=5000 -Dcrash.kills=5}; {@code -Dcrash.seed=N} changes the kill
 * points; {@code -Dcrash.guarantee=at_least_once} is a negative control that must fail. Processor logs: {@code integration-tests/target/crash-<id>/run-<n>.out|.err}.
 */
@WithKafkaBroker
class CrashIT {
    static final int S = Integer.getInteger("crash.sensors", 20);
    static final int R = Integer.getInteger("crash.readings", 1_000);
    static final int KILLS = Integer.getInteger("crash.kills", 3);
    static final long SEED = Long.getLong("crash.seed", 20_260_105L);
    /** How long one run may take to reach its kill point or the end (startup, rebalance, restore included). */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    /** When a wait of {@link ProgressReader#awaitCount} counts as stalled: it prints evidence and looks for hangs. */
    static final Duration STALL_AFTER = Duration.ofSeconds(60);

    @RegisterExtension
    final ProcessorJvms jvms = new ProcessorJvms();

    @Test
    void killedAndRestartedProcessorEmitsExactlyOnePredictionPerReadingIdenticalToTheTestDriver(KafkaBroker broker)
            throws Exception {
        Path jar = ProcessorJvm.locateJar();
        Path work = WorkDirs.create("crash");
        String id = work.getFileName().toString();
        ReadingStream stream = new ReadingStream(id, S, R, 4);
        String input = stream.input();
        String predictions = stream.predictions();
        int total = stream.total();
        stream.createTopics(broker);
        long t0 = System.nanoTime();
        stream.produce(broker.bootstrapServers());
        System.out.printf("CrashIT: %d sensors x %,d readings produced to %s in %.1f s; jar %s; work dir %s%n",
                S, R, input, (System.nanoTime() - t0) / 1e9, jar, work);

        // -Dcrash.guarantee=at_least_once is a negative control: the test must then fail (duplicates)
        Map<String, String> settings = stream.processorSettings(broker.bootstrapServers(), work.resolve("state-1"),
                System.getProperty("crash.guarantee", "exactly_once_v2"));

        Random random = new Random(SEED);
        double[] fractions = new double[KILLS];
        for (int i = 0; i < KILLS; i++) {
            fractions[i] = 0.15 + 0.70 * (i + random.nextDouble()) / KILLS;
        }
        int emptyRestart = 1 + random.nextInt(KILLS); // the restart (1..KILLS) on an empty state directory
        StringBuilder plan = new StringBuilder();
        for (int i = 0; i < KILLS; i++) {
            plan.append(String.format(" %.1f%% (%,d)", 100 * fractions[i], target(fractions[i], total)));
        }
        System.out.printf("CrashIT: seed %d, kill points at%s of %,d predictions; restart %d on an empty state dir%n",
                SEED, plan, total, emptyRestart);

        long started = System.nanoTime();
        try (ProgressReader progress = new ProgressReader(broker.bootstrapServers(), predictions)) {
            // a stalled wait prints the diagnosis once and ends at once on a confirmed hanging transaction
            progress.onStall(STALL_AFTER, () -> diagnosis(broker, id, input, predictions),
                    () -> HangingTransactions.look(broker, predictions));
            int stateDirs = 1;
            for (int run = 0; run <= KILLS; run++) {
                if (run == emptyRestart) {
                    stateDirs++;
                    settings.put("state.dir", work.resolve("state-" + stateDirs).toString());
                }
                ProcessorJvm jvm = jvms.start(settings, work, "run-" + run);
                int before = progress.count();
                int goal = run < KILLS ? target(fractions[run], total) : total;
                try {
                    progress.awaitCount(goal, jvm);
                } catch (AssertionError e) {
                    System.out.println(diagnosis(broker, id, input, predictions));
                    throw new AssertionError("run " + run + " (pid " + jvm.pid() + "): " + e.getMessage()
                            + "; processor logs: " + jvm.logs(), e);
                }
                double seconds = jvm.secondsSinceStart();
                if (run < KILLS) {
                    jvm.kill();
                    System.out.printf("CrashIT: run %d (pid %d, %s state dir %s): SIGKILL after %.1f s at %,d committed "
                                    + "predictions (%.1f%%; kill point %,d; %,d at its start); exit code %d%n",
                            run, jvm.pid(), run == emptyRestart ? "EMPTY" : run == 0 ? "new" : "same",
                            settings.get("state.dir"), seconds, progress.count(), 100.0 * progress.count() / total,
                            goal, before, jvm.exitCode());
                } else {
                    System.out.printf("CrashIT: run %d (pid %d, %s state dir): all %,d predictions committed %.1f s "
                                    + "after its start (%,d at its start)%n",
                            run, jvm.pid(), run == emptyRestart ? "EMPTY" : "same", total, seconds, before);
                }
            }
            System.out.printf("CrashIT: %d kills and %d restarts done in %.1f s%n", KILLS, KILLS,
                    (System.nanoTime() - started) / 1e9);

            // an independent read_committed reader: exactly S x R, byte-identical to the uninterrupted run
            try {
                stream.verify(broker.bootstrapServers(), AppConfig.of(settings), work);
                progress.pollFor(Duration.ofSeconds(2));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; processor logs in " + work, e);
            }
            assertEquals(total, progress.count(), "the reader that followed the runs saw exactly one per reading too");
            System.out.printf("CrashIT: %,d predictions after %d SIGKILLs (one restart on an empty state dir), exactly "
                    + "one per reading, byte-identical to the TopologyTestDriver run; total %.1f s%n", total, KILLS,
                    (System.nanoTime() - t0) / 1e9);
        } catch (Throwable e) {
            System.out.print("CrashIT failed; processor logs (by run):\n" + jvms.logs());
            throw e;
        }
    }

    /** Committed input offsets of the group, input end offsets, prediction end offsets and the broker's transactions. */
    static String diagnosis(KafkaBroker broker, String group, String input, String predictions) {
        StringBuilder sb = new StringBuilder("CrashIT diagnosis:\n");
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, Long> committed = new java.util.TreeMap<>(java.util.Comparator.comparing(
                    TopicPartition::toString));
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, om) -> committed.put(tp, om == null ? null : om.offset()));
            sb.append("  committed offsets of ").append(group).append(": ").append(committed).append('\n');
            for (String topic : List.of(input, predictions)) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < 4; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
                Map<TopicPartition, Long> starts = new java.util.TreeMap<>(java.util.Comparator.comparing(
                        TopicPartition::toString));
                Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
                latest.keySet().forEach(tp -> earliest.put(tp, OffsetSpec.earliest()));
                admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS)
                        .forEach((tp, info) -> starts.put(tp, info.offset()));
                sb.append("  start offsets: ").append(starts).append('\n');
                for (IsolationLevel level : IsolationLevel.values()) {
                    Map<TopicPartition, Long> ends = new java.util.TreeMap<>(java.util.Comparator.comparing(
                            TopicPartition::toString));
                    admin.listOffsets(latest, new ListOffsetsOptions(level)).all().get(30, TimeUnit.SECONDS)
                            .forEach((tp, info) -> ends.put(tp, info.offset()));
                    sb.append("  end offsets ").append(level).append(": ").append(ends).append('\n');
                }
            }
            // the producers the partitions of the predictions know: one with a currentTransactionStartOffset holds
            // the last stable offset there until its transaction ends (a hanging transaction if no coordinator
            // lists it below)
            HangingTransactions.Picture picture = HangingTransactions.Picture.take(admin, predictions);
            picture.producers().entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(
                    TopicPartition::toString))).forEach(e -> e.getValue().forEach(ps -> sb.append("  producer on ")
                    .append(e.getKey()).append(": id ").append(ps.producerId()).append(" epoch ")
                    .append(ps.producerEpoch()).append(", open transaction from offset ")
                    .append(ps.currentTransactionStartOffset().isPresent()
                            ? Long.toString(ps.currentTransactionStartOffset().getAsLong()) : "none")
                    .append(", last sequence ").append(ps.lastSequence()).append(", last write ")
                    .append(ps.lastTimestamp()).append(", coordinator epoch ")
                    .append(ps.coordinatorEpoch().isPresent() ? ps.coordinatorEpoch().getAsInt() : -1)
                    .append('\n')));
            picture.transactions().forEach((tid, d) -> sb.append("  transaction ").append(tid).append(": ")
                    .append(d.state()).append(", producer ").append(d.producerId()).append(" epoch ")
                    .append(d.producerEpoch()).append(", started ").append(d.transactionStartTimeMs())
                    .append(", timeout ").append(d.transactionTimeoutMs()).append(" ms, partitions ")
                    .append(d.topicPartitions()).append('\n'));
            picture.hanging().forEach(h -> sb.append(
                    "  HANGING TRANSACTION on ").append(h).append(": no open transaction of the coordinator lists the "
                    + "partition, so no marker will end it (a broker fault, not the processor's; docs/testing.md, "
                    + "branch ci20)\n"));
            sb.append("  now ").append(System.currentTimeMillis()).append('\n');
        } catch (Exception e) {
            sb.append("  (diagnosis failed: ").append(e).append(")\n");
        }
        return sb.toString();
    }

    static int target(double fraction, int total) {
        return (int) Math.ceil(fraction * total);
    }

    /**
     * Follows the predictions topic with read_committed from the beginning and counts what it sees, per partition
     * too. {@link #onStall} sets a report to print once per {@link #awaitCount} whose wait passes a bound (evidence
     * while the state that stalls it still holds, rather than after the timeout) and a look for hanging transactions
     * that, from that bound on, ends the wait at once when two looks {@link #LOOK_EVERY} apart agree ({@link
     * StalledWait}).
     */
    static final class ProgressReader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions;
        private final Map<Integer, Integer> perPartition = new java.util.TreeMap<>();
        private int count;
        private Duration stallAfter;
        private java.util.function.Supplier<String> stallReport;
        private java.util.function.Supplier<List<String>> hangingLook;
        /** How often a stalled wait looks for hanging transactions. */
        static final Duration LOOK_EVERY = Duration.ofSeconds(5);

        ProgressReader(String bootstrap, String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).sorted(java.util.Comparator.comparingInt(
                            TopicPartition::partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        int count() {
            return count;
        }

        /**
         * Prints {@code report} once in each {@link #awaitCount} whose wait passes {@code after}; from then on, every
         * {@link #LOOK_EVERY}, takes {@code hanging} (the verdict lines of {@link HangingTransactions#look}) and fails
         * the wait at once when {@link StalledWait#failure} says so for the last two looks.
         */
        void onStall(Duration after, java.util.function.Supplier<String> report,
                     java.util.function.Supplier<List<String>> hanging) {
            this.stallAfter = after;
            this.stallReport = report;
            this.hangingLook = hanging;
        }

        /** What this reader saw and where it stands: per partition, records seen and its next fetch offset. */
        String describe() {
            StringBuilder sb = new StringBuilder("read_committed reader: " + count + " records;");
            for (TopicPartition tp : partitions) {
                String position;
                try {
                    position = Long.toString(consumer.position(tp, Duration.ofSeconds(5)));
                } catch (RuntimeException e) {
                    position = "? (" + e + ")";
                }
                sb.append(' ').append(tp).append(": ").append(perPartition.getOrDefault(tp.partition(), 0))
                        .append(" seen, position ").append(position).append(';');
            }
            return sb.toString();
        }

        /** Polls until {@code goal} records were seen; fails if {@code jvm} exits or on {@link #RUN_TIMEOUT}. */
        void awaitCount(int goal, ProcessorJvm jvm) {
            long start = System.nanoTime();
            long deadline = start + RUN_TIMEOUT.toNanos();
            boolean reported = false;
            List<String> lastLook = null;
            long nextLook = stallAfter == null ? Long.MAX_VALUE : start + stallAfter.toNanos();
            while (count < goal) {
                if (!jvm.isAlive()) {
                    pollOnce();
                    throw new AssertionError("the processor JVM exited with code " + jvm.exitCode() + " at " + count
                            + " committed predictions, waiting for " + goal);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + count + " committed predictions, waiting for " + goal
                            + ", after " + RUN_TIMEOUT + "; " + describe());
                }
                if (!reported && stallReport != null && System.nanoTime() - start > stallAfter.toNanos()) {
                    reported = true;
                    System.out.println("STALL: " + count + " committed predictions, waiting for " + goal + " since "
                            + stallAfter.toSeconds() + " s; " + describe() + "\n" + stallReport.get());
                }
                if (hangingLook != null && System.nanoTime() > nextLook) {
                    List<String> look = hangingLook.get();
                    if (lastLook != null) {
                        java.util.Optional<String> failure = StalledWait.failure(count, goal,
                                Duration.ofNanos(System.nanoTime() - start), lastLook, look);
                        if (failure.isPresent()) {
                            throw new AssertionError(failure.get() + "; " + describe());
                        }
                    }
                    lastLook = look;
                    nextLook = System.nanoTime() + LOOK_EVERY.toNanos();
                }
                pollOnce();
            }
        }

        void pollFor(Duration duration) {
            long until = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < until) {
                pollOnce();
            }
        }

        private void pollOnce() {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                count++;
                perPartition.merge(r.partition(), 1, Integer::sum);
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
