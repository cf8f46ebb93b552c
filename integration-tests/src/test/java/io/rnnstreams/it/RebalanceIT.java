package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.it.broker.WorkDirs;
import io.rnnstreams.it.broker.ProcessorJvms;
import io.rnnstreams.config.AppConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, scenario 3 (rebalance): a second processor instance (same application id, its own state directory)
 * joins while the stream flows and later leaves, first gracefully (SIGTERM: Kafka Streams closes and commits),
 * then, having joined again on the same state directory, by SIGKILL. The input topic has 4 partitions, so tasks
 * and their state really move between the two JVMs, through the changelog topics. The first instance runs
 * throughout (never restarted). A read_committed consumer must then see exactly one prediction per reading,
 * per sensor byte-identical to a TopologyTestDriver run of the same input.
 *
 * <p>The readings are produced in four equal chunks (readings 0..R/4, R/4..R/2, ...) so that every phase has
 * records to process whatever the machine's speed: chunk 1 with instance A alone; chunk 2 once B holds input
 * partitions (seen with Admin.describeConsumerGroups); chunk 3 right after B's graceful exit; chunk 4 once B
 * (again) holds input partitions, spread over about 6 s ({@code -Drebalance.killChunkSeconds}), and B is
 * SIGKILLed as soon as its log shows it processed records of chunk 4. So that the test cannot pass without B
 * doing work, it asserts from B's log that B restored state from the key-state changelog (state moved to B) and
 * processed records, and from A's log that A restored state after B left (state moved back). Kafka Streams logs
 * those lines at INFO, which {@link ProcessorJvm} asks for.
 *
 * <p>CI size: 8 sensors (two per partition) x 600 readings. Reliability size:
 * {@code -Drebalance.sensors=20 -Drebalance.readings=5000}. {@code -Drebalance.guarantee=at_least_once} is a
 * negative control that must fail (the SIGKILLed member's uncommitted work is processed again). Processor logs:
 * {@code integration-tests/target/rebalance-<id>/a.out, b-1.out, b-2.out}.
 */
@WithKafkaBroker
class RebalanceIT {
    static final int S = Integer.getInteger("rebalance.sensors", 8);
    static final int R = Integer.getInteger("rebalance.readings", 600);
    static final String GUARANTEE = System.getProperty("rebalance.guarantee", "exactly_once_v2");
    static final int PARTITIONS = 4;
    /** Chunk 4 is produced over about this many seconds, so that B's SIGKILL comes while records flow. */
    static final int KILL_CHUNK_SECONDS = Integer.getInteger("rebalance.killChunkSeconds", 6);
    /** How long a membership change may take to show in the group (JVM start, rebalance, restore included). */
    static final Duration MEMBERSHIP_TIMEOUT = Duration.ofMinutes(3);

    private static final Pattern PROCESSED = Pattern.compile("Processed (\\d+) total records");
    private static final Pattern RESTORED = Pattern.compile(
            "Finished restoring changelog \\S+ to store rnn-key-state with a total number of (\\d+) records");

    @RegisterExtension
    final ProcessorJvms jvms = new ProcessorJvms();

    @Test
    void instanceJoiningAndLeavingMidStreamLosesAndDuplicatesNothingAndPredictionsMatchTheTestDriver(
            KafkaBroker broker) throws Exception {
        Path work = WorkDirs.create("rebalance");
        String id = work.getFileName().toString();
        ReadingStream stream = new ReadingStream(id, S, R, PARTITIONS);
        String bootstrap = broker.bootstrapServers();
        int total = stream.total();
        int[] chunk = {0, R / 4, R / 2, 3 * R / 4, R};   // chunk c: readings chunk[c] .. chunk[c + 1]
        long t0 = System.nanoTime();
        stream.createTopics(broker);

        Map<String, String> settingsA = settings(stream, bootstrap, work, "a");
        Map<String, String> settingsB = settings(stream, bootstrap, work, "b");
        ProcessorJvm a = jvms.start(settingsA, work, "a");
        String clientA = settingsA.get("client.id");
        String clientB = settingsB.get("client.id");
        try (CrashIT.ProgressReader progress = new CrashIT.ProgressReader(bootstrap, stream.predictions());
             Admin admin = broker.admin()) {
            // a stalled wait prints the diagnosis once and ends at once on a confirmed hanging transaction
            progress.onStall(CrashIT.STALL_AFTER, () -> CrashIT.diagnosis(broker, id, stream.input(),
                    stream.predictions()), () -> HangingTransactions.look(broker, stream.predictions()));
            // chunk 1: A alone
            stream.produce(bootstrap, chunk[0], chunk[1]);
            progress.awaitCount(S * chunk[1], a);
            Set<TopicPartition> ofA = awaitMembers(admin, id, stream.input(), Set.of(clientA)).get(clientA);
            assertEquals(PARTITIONS, ofA.size(), "A alone holds every input partition");
            log(t0, "chunk 1 (%,d predictions) by A alone", progress.count());

            // chunk 2: B joins (its own, empty state directory) and takes tasks over
            ProcessorJvm b1 = jvms.start(settingsB, work, "b-1");
            long joining = System.nanoTime();
            Map<String, Set<TopicPartition>> split = awaitMembers(admin, id, stream.input(), Set.of(clientA, clientB));
            log(t0, "B joined: %.1f s from its start to a stable group; assignment %s", seconds(joining), split);
            stream.produce(bootstrap, chunk[1], chunk[2]);
            progress.awaitCount(S * chunk[2], a);
            assertTrue(b1.isAlive(), "B is running; exit code " + b1.exitCode());
            long restoredByB = awaitLogSum(b1, RESTORED, "B restored key state from the changelog");
            long processedByB = awaitLogSum(b1, PROCESSED, "B processed records");
            log(t0, "chunk 2 (%,d predictions in all) by A and B; B restored %,d key-state records and processed "
                    + "%,d records", progress.count(), restoredByB, processedByB);

            // chunk 3: B leaves gracefully; A takes its tasks back, restoring what B wrote to the changelog
            long restoredByABefore = logSum(a, RESTORED);
            long leaving = System.nanoTime();
            int exit = b1.terminate(Duration.ofSeconds(60));
            double closeSeconds = seconds(leaving);
            stream.produce(bootstrap, chunk[2], chunk[3]);
            progress.awaitCount(S * chunk[3], a);
            ofA = awaitMembers(admin, id, stream.input(), Set.of(clientA)).get(clientA);
            // a JVM ended by SIGTERM exits with 143 (128 + 15) even when its shutdown hook completed
            assertTrue(exit == 0 || exit == 143, "B's exit code after SIGTERM: " + exit + "; log " + b1.logs());
            assertTrue(b1.outputLines().stream().anyMatch(l -> l.contains("Kafka Streams state PENDING_SHUTDOWN -> "
                    + "NOT_RUNNING")), "B closed Kafka Streams cleanly (a 'did not finish closing' warning in its log "
                    + "means the 30 s close timed out); log " + b1.logs());
            assertEquals(PARTITIONS, ofA.size(), "A holds every input partition again");
            long restoredByA = logSum(a, RESTORED) - restoredByABefore;
            assertTrue(restoredByA > 0, "A restored the state B had written (key-state records restored after B "
                    + "left: " + restoredByA + "); log " + a.logs());
            log(t0, "B left gracefully (exit %d, %.1f s to close); chunk 3 (%,d predictions in all) by A, which "
                    + "restored %,d key-state records; %.1f s from B's SIGTERM", exit, closeSeconds, progress.count(),
                    restoredByA, seconds(leaving));

            // chunk 4: B joins again on its state directory and is SIGKILLed in the middle of the chunk
            ProcessorJvm b2 = jvms.start(settingsB, work, "b-2");
            joining = System.nanoTime();
            split = awaitMembers(admin, id, stream.input(), Set.of(clientA, clientB));
            log(t0, "B joined again: %.1f s from its start to a stable group; assignment %s", seconds(joining), split);
            // chunk 4 arrives over about KILL_CHUNK_SECONDS, so that B is killed while records keep coming
            Duration pause = Duration.ofMillis(Math.max(1, KILL_CHUNK_SECONDS * 1000L / (chunk[4] - chunk[3])));
            java.util.concurrent.CompletableFuture<Void> producing = java.util.concurrent.CompletableFuture.runAsync(
                    () -> {
                        try {
                            stream.produce(bootstrap, chunk[3], chunk[4], pause);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    });
            long processedByB2 = awaitLogSum(b2, PROCESSED, "B (joined again) processed records");
            int atKill = progress.count();
            boolean stillProducing = !producing.isDone();
            b2.kill();
            long killed = System.nanoTime();
            producing.get(5, TimeUnit.MINUTES);
            progress.awaitCount(total, a);
            log(t0, "B SIGKILLed at %,d committed predictions (%.1f%%) once its log showed %,d processed records, "
                    + "%s; all %,d committed %.1f s after the kill", atKill, 100.0 * atKill / total, processedByB2,
                    stillProducing ? "while chunk 4 was still being produced" : "after chunk 4 was produced",
                    total, seconds(killed));

            assertTrue(a.isAlive(), "A ran throughout; exit code " + a.exitCode());
            AppConfig config = AppConfig.of(settingsA);
            stream.verify(bootstrap, config, work);
            progress.pollFor(Duration.ofSeconds(2));
            assertEquals(total, progress.count(), "the reader that followed the run saw exactly one per reading too");
            log(t0, "%,d predictions through a join, a graceful leave, a re-join and a SIGKILL: exactly one per "
                    + "reading, byte-identical to the TopologyTestDriver run", total);
        } catch (Throwable e) {
            System.out.println(CrashIT.diagnosis(broker, id, stream.input(), stream.predictions()));
            System.out.println("RebalanceIT failed; processor logs in " + work);
            throw e;
        }
    }

    private Map<String, String> settings(ReadingStream stream, String bootstrap, Path work, String instance) {
        Map<String, String> settings = stream.processorSettings(bootstrap, work.resolve("state-" + instance),
                GUARANTEE);
        // names the members in the group (client ids "<client.id>-StreamThread-1-consumer")
        settings.put("client.id", stream.id + "-" + instance);
        // a Streams summary line ("Processed N total records ...") every second: evidence of who processed
        settings.put("log.summary.interval.ms", "1000");
        // move tasks to a new member at once (restoring from the changelog there) rather than warming it up
        // first and moving them at a probing rebalance 10 minutes later
        settings.put("acceptable.recovery.lag", Long.toString(Long.MAX_VALUE));
        return settings;
    }

    /**
     * Waits until the group is stable with exactly the members whose client ids start with the given
     * prefixes, each holding at least one partition of {@code topic}; returns prefix -> its input partitions.
     */
    static Map<String, Set<TopicPartition>> awaitMembers(Admin admin, String group, String topic, Set<String> clients)
            throws Exception {
        long deadline = System.nanoTime() + MEMBERSHIP_TIMEOUT.toNanos();
        String last = "";
        while (true) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all()
                    .get(30, TimeUnit.SECONDS).get(group);
            Map<String, Set<TopicPartition>> byClient = new java.util.TreeMap<>();
            boolean others = false;
            for (MemberDescription m : d.members()) {
                String client = clients.stream().filter(c -> m.clientId().startsWith(c + "-")).findFirst().orElse(null);
                if (client == null || byClient.containsKey(client)) {
                    others = true;
                    continue;
                }
                Set<TopicPartition> owned = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
                m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).forEach(owned::add);
                byClient.put(client, owned);
            }
            last = d.groupState() + " " + byClient + (others ? " and other members " + d.members() : "");
            if (d.groupState() == GroupState.STABLE && !others && byClient.keySet().equals(clients)
                    && byClient.values().stream().noneMatch(Set::isEmpty)) {
                return byClient;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("group " + group + " not stable with members " + clients + " each holding "
                        + "input partitions within " + MEMBERSHIP_TIMEOUT + "; last seen: " + last);
            }
            Thread.sleep(200);
        }
    }

    /** The sum of group 1 of {@code pattern} over the JVM's log lines. */
    static long logSum(ProcessorJvm jvm, Pattern pattern) {
        long sum = 0;
        for (String line : jvm.outputLines()) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
        }
        return sum;
    }

    /** Waits (up to 30 s: the summary comes every second) until {@link #logSum} is positive; returns it. */
    static long awaitLogSum(ProcessorJvm jvm, Pattern pattern, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long sum = logSum(jvm, pattern);
            if (sum > 0) {
                return sum;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": no log line of " + jvm.logs() + " shows it (" + pattern + ")");
            }
            Thread.sleep(200);
        }
    }

    private static void log(long t0, String format, Object... args) {
        System.out.printf("RebalanceIT: %5.1f s: %s%n", seconds(t0), String.format(format, args));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
