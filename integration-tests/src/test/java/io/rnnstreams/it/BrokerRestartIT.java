package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.WorkDirs;
import io.rnnstreams.config.AppConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, scenario 2 (broker restart): the processor runs as its own JVM ({@code rnn-streams.jar run}) under
 * exactly_once_v2 while S sensors x R readings (produced up front to a 4-partition topic) flow through it; the
 * broker is stopped (SIGTERM, controlled shutdown) or killed (SIGKILL) in the middle of the stream, kept down for
 * a few seconds and started again on the same data directory and ports. The processor is never restarted: it must ride out the
 * outage by itself (same JVM, alive at the end, its Kafka Streams never in ERROR), and a read_committed consumer
 * must then see exactly S x R predictions (and still S x R a few seconds later), per sensor byte-identical to a
 * TopologyTestDriver run of the same input.
 *
 * <p>Outage points: outage i starts once the read_committed prediction count reaches the middle of the i-th of
 * {@code outages} equal strata of [20%, 80%] of the total (one outage: at 50%).
 *
 * <p>CI size: 8 sensors x 600 readings, one outage (SIGTERM) of 8 s. Reliability size:
 * {@code -Dbroker-restart.sensors=20 -Dbroker-restart.readings=5000 -Dbroker-restart.signals=TERM,KILL,TERM
 * -Dbroker-restart.downSeconds=20}. {@code -Dbroker-restart.set.<setting>=<value>} adds or overrides a processor
 * setting (for experiments; even {@code task.timeout.ms=0} rode out an 8 s outage).
 * {@code -Dbroker-restart.guarantee=at_least_once} runs the scenario without transactions; it passed too (a
 * broker restart alone duplicates nothing when the producer is idempotent), so it is no negative control: the
 * check itself ({@link ReadingStream#verify}) is the one {@link RebalanceIT}'s negative control makes fail. Processor log:
 * {@code integration-tests/target/broker-restart-<id>/processor.out}.
 *
 * <p>The test asserts that work was in flight at each stop (predictions still to come, and new ones committed
 * after the restart by the same JVM), and the Kafka Streams states the README promises: after the first RUNNING the
 * processor's log shows no other state (no rebalance, no error, no shutdown).
 *
 * <p>A wait for committed predictions that passes {@code broker-restart.stallSeconds} (60) prints its evidence
 * once, while the state that holds it still holds ({@link #evidence}: the reader's per-partition positions, the end
 * offsets under both isolation levels, the producers and transactions, the processor's Kafka Streams state and a
 * thread dump, the broker's transaction log lines), lines starting {@code STALL:}; the test goes on waiting, unless
 * two looks {@link CrashIT.ProgressReader#LOOK_EVERY} apart name the same hanging transaction: then it fails at
 * once with the verdict line ({@link StalledWait}; a broker fault that no wait ends).
 *
 * <p>It always runs on a broker JVM of its own ({@link KafkaBroker#startJvm}), whatever
 * {@code rnnstreams.broker.mode} says: the Testcontainers fixture implements a restart (stop and start of the same
 * container on a fixed host port) but no build machine had Docker to prove it.
 */
class BrokerRestartIT {
    static final int S = Integer.getInteger("broker-restart.sensors", 8);
    static final int R = Integer.getInteger("broker-restart.readings", 600);
    /** One outage per entry: TERM stops the broker (controlled shutdown), KILL kills it (SIGKILL). */
    static final List<String> SIGNALS = List.of(System.getProperty("broker-restart.signals", "TERM").trim()
            .toUpperCase().split("\\s*,\\s*"));
    static final int OUTAGES = SIGNALS.size();
    /** Processor settings to add or override: system properties {@code broker-restart.set.<setting>=<value>}. */
    static final String SET_PREFIX = "broker-restart.set.";
    static final int DOWN_SECONDS = Integer.getInteger("broker-restart.downSeconds", 8);
    static final String GUARANTEE = System.getProperty("broker-restart.guarantee", "exactly_once_v2");
    /** When a wait for committed predictions prints its evidence ({@link #evidence}), long before it fails. */
    static final Duration STALL_REPORT_AFTER = Duration.ofSeconds(Integer.getInteger("broker-restart.stallSeconds",
            60));

    private static KafkaBroker broker;
    private ProcessorJvm jvm;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.startJvm();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void killProcessor() throws InterruptedException {
        if (jvm != null) {
            jvm.close();
        }
    }

    @Test
    void processorRidesOutBrokerRestartsAndEmitsExactlyOnePredictionPerReadingIdenticalToTheTestDriver()
            throws Exception {
        Path jar = ProcessorJvm.locateJar();
        Path work = WorkDirs.create("broker-restart");
        String id = work.getFileName().toString();
        ReadingStream stream = new ReadingStream(id, S, R, 4);
        int total = stream.total();
        String bootstrap = broker.bootstrapServers();

        long t0 = System.nanoTime();
        stream.createTopics(broker);
        stream.produce(bootstrap);
        System.out.printf("BrokerRestartIT: %d sensors x %,d readings produced to %s in %.1f s; outages %s of %d s; "
                + "guarantee %s; broker %s%n", S, R, stream.input(), seconds(t0), SIGNALS, DOWN_SECONDS, GUARANTEE,
                broker.directory().map(Path::toString).orElse(broker.kind()));

        assertTrue(SIGNALS.stream().allMatch(x -> x.equals("TERM") || x.equals("KILL")),
                "broker-restart.signals: a comma-separated list of TERM and KILL, not " + SIGNALS);
        Map<String, String> settings = stream.processorSettings(bootstrap, work.resolve("state"), GUARANTEE);
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(SET_PREFIX))
                .forEach(k -> settings.put(k.substring(SET_PREFIX.length()), System.getProperty(k)));
        jvm = ProcessorJvm.start(jar, settings, work, "processor");
        long pid = jvm.pid();
        try (CrashIT.ProgressReader progress = new CrashIT.ProgressReader(bootstrap, stream.predictions())) {
            progress.onStall(STALL_REPORT_AFTER, () -> evidence(id, stream),
                    () -> HangingTransactions.look(broker, stream.predictions()));
            for (int i = 0; i < OUTAGES; i++) {
                int goal = CrashIT.target(0.20 + 0.60 * (i + 0.5) / OUTAGES, total);
                progress.awaitCount(goal, jvm);
                int atStop = progress.count();
                // work in flight: predictions still to come when the broker goes away
                assertTrue(atStop < total, "outage " + (i + 1) + " came after the work was done: " + atStop);
                double processing = jvm.secondsSinceStart();
                long down = System.nanoTime();
                if (SIGNALS.get(i).equals("KILL")) {
                    broker.kill();
                } else {
                    broker.stop();
                }
                long stopped = System.nanoTime();
                // the outage: the processor must stay up on its own
                while (System.nanoTime() - stopped < Duration.ofSeconds(DOWN_SECONDS).toNanos()) {
                    assertTrue(jvm.isAlive(), "the processor JVM exited with code " + jvm.exitCode() + " "
                            + seconds(stopped) + " s into broker outage " + (i + 1) + "; log " + jvm.logs());
                    Thread.sleep(100);
                }
                broker.restart();
                long up = System.nanoTime();
                assertTrue(jvm.isAlive(), "the processor JVM exited with code " + jvm.exitCode()
                        + " during broker outage " + (i + 1) + "; log " + jvm.logs());
                int atRestart = progress.count();
                assertTrue(atRestart < total, "outage " + (i + 1) + ": nothing left for after the restart");
                progress.awaitCount(atRestart + 1, jvm);
                System.out.printf("BrokerRestartIT: outage %d (SIG%s): broker stopped at %,d committed predictions (%.1f%%; "
                                + "goal %,d) after %.1f s of processing; stop took %.1f s, down %.1f s in all "
                                + "(restart included); first new committed prediction %.1f s after the broker was "
                                + "back (%,d -> %,d)%n", i + 1, SIGNALS.get(i), atStop, 100.0 * atStop / total, goal,
                        processing, (stopped - down) / 1e9,
                        (up - down) / 1e9, seconds(up), atRestart, progress.count());
            }
            progress.awaitCount(total, jvm);
            System.out.printf("BrokerRestartIT: all %,d predictions committed %.1f s after the processor started%n",
                    total, jvm.secondsSinceStart());
            System.out.print("BrokerRestartIT:" + deadLetters(bootstrap, stream.deadLetters()));

            assertTrue(jvm.isAlive(), "the processor JVM is still running; exit code " + jvm.exitCode());
            List<String> transitions = jvm.outputLines().stream().filter(l -> l.contains("Kafka Streams state "))
                    .map(l -> l.substring(l.indexOf("Kafka Streams state ") + "Kafka Streams state ".length()).trim())
                    .toList();
            System.out.println("BrokerRestartIT: Kafka Streams states of the processor: " + transitions);
            int firstRunning = transitions.indexOf("REBALANCING -> RUNNING");
            assertTrue(firstRunning >= 0, "Kafka Streams reached RUNNING: " + transitions);
            // while the broker is away Kafka Streams may rebalance (RUNNING -> REBALANCING -> RUNNING, seen on a
            // quiet machine); what it must never do is fail or shut down, and it must end RUNNING
            List<String> after = transitions.subList(firstRunning + 1, transitions.size());
            assertTrue(after.stream().allMatch(t -> t.equals("RUNNING -> REBALANCING")
                            || t.equals("REBALANCING -> RUNNING")),
                    "after reaching RUNNING Kafka Streams only rebalanced through the outage(s); all: " + transitions);
            assertTrue(after.isEmpty() || after.get(after.size() - 1).equals("REBALANCING -> RUNNING"),
                    "Kafka Streams ends RUNNING; all: " + transitions);

            AppConfig config = AppConfig.of(settings);
            stream.verify(bootstrap, config, work);
            progress.pollFor(Duration.ofSeconds(2));
            assertEquals(total, progress.count(), "the reader that followed the run saw exactly one per reading too");
            System.out.printf("BrokerRestartIT: %,d predictions after %d broker outage(s), exactly one per reading, "
                    + "byte-identical to the TopologyTestDriver run; one processor JVM (pid %d); total %.1f s%n",
                    total, OUTAGES, pid, seconds(t0));
        } catch (Throwable e) {
            System.out.println("BrokerRestartIT failed: " + e.getMessage() + "\n" + evidence(id, stream));
            System.out.println("BrokerRestartIT failed; processor log: " + jvm.logs());
            throw e;
        }
    }

    /**
     * What explains a wait that does not end: the reader's per-partition counts and positions (printed by the
     * reader), the group's committed offsets, the end offsets of input and predictions under read_uncommitted and
     * read_committed (a last stable offset below the high watermark is an open transaction), the producers on the
     * prediction partitions (an open transaction's first offset) and the coordinator's transactions, the processor's
     * Kafka Streams states and last "Processed" summary from its log, and a thread dump of the processor (the
     * stream thread's stack: where it waits).
     */
    private String evidence(String id, ReadingStream stream) {
        StringBuilder sb = new StringBuilder(CrashIT.diagnosis(broker, id, stream.input(), stream.predictions()));
        sb.append(deadLetters(broker.bootstrapServers(), stream.deadLetters()));
        List<String> lines = jvm.outputLines();
        lines.stream().filter(l -> l.contains("Kafka Streams state ")).reduce((a, b) -> b)
                .ifPresent(l -> sb.append("  processor's last state change: ").append(l).append('\n'));
        lines.stream().filter(l -> l.contains(" Processed ") && l.contains(" total records")).reduce((a, b) -> b)
                .ifPresent(l -> sb.append("  processor's last summary: ").append(l).append('\n'));
        lines.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).skip(Math.max(0,
                        lines.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count() - 10))
                .forEach(l -> sb.append("  processor warning: ").append(l).append('\n'));
        String dump = jvm.threadDump();
        sb.append("  processor thread dump: ").append(dump).append('\n');
        try {
            // the stream thread's and its producer's stacks (the rest is in the file)
            String text = java.nio.file.Files.readString(Path.of(dump));
            for (String block : text.split("\n\n")) {
                if (block.startsWith("\"") && (block.contains("StreamThread-1\"")
                        || block.contains("StreamThread-1-producer\""))) {
                    sb.append(block.lines().limit(25).map(l -> "    " + l + "\n")
                            .collect(java.util.stream.Collectors.joining()));
                }
            }
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            sb.append("  (thread dump not read: ").append(e).append(")\n");
        }
        sb.append("  broker: ").append(broker.directory().map(Path::toString).orElse(broker.kind())).append('\n');
        // what the broker said about transactions and producers since it started (INFO: a coordinator's aborts of
        // timed-out transactions, fenced epochs, partitions it could not verify)
        broker.directory().map(d -> d.resolve("logs/server.log")).filter(java.nio.file.Files::isRegularFile)
                .ifPresent(log -> {
                    try (Stream<String> all = java.nio.file.Files.lines(log)) {
                        List<String> hits = all.filter(l -> l.startsWith("[") && (l.contains("ransaction")
                                        || l.contains("roducer") || l.contains("bort")) && !l.contains("QuorumController"))
                                .toList();
                        hits.subList(Math.max(0, hits.size() - 30), hits.size())
                                .forEach(l -> sb.append("  broker log: ").append(l).append('\n'));
                    } catch (java.io.IOException | java.io.UncheckedIOException e) {
                        sb.append("  (broker log not read: ").append(e).append(")\n");
                    }
                });
        return sb.toString();
    }

    /**
     * The committed dead letters by reason, and the first few details: a reading that the processor took but
     * dead-lettered (e.g. OUT_OF_ORDER after a rewind whose key state was not rolled back) is processed without any
     * error and makes no prediction.
     */
    static String deadLetters(String bootstrap, String topic) {
        Map<String, Integer> reasons = new java.util.TreeMap<>();
        List<String> details = new java.util.ArrayList<>();
        java.util.Properties p = new java.util.Properties();
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> c =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                             new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                             new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10))
                    .stream().map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    var reason = r.headers().lastHeader("reason");
                    var detail = r.headers().lastHeader("detail");
                    String why = reason == null ? "(none)" : new String(reason.value(),
                            java.nio.charset.StandardCharsets.UTF_8);
                    reasons.merge(why, 1, Integer::sum);
                    if (details.size() < 3 && detail != null) {
                        details.add(r.key() == null ? "" : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)
                                + ": " + why + " " + new String(detail.value(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (RuntimeException e) {
            return "  (dead letters not read: " + e + ")\n";
        }
        return "  committed dead letters of " + topic + " by reason: " + reasons + (details.isEmpty() ? ""
                : "; first: " + details) + "\n";
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
