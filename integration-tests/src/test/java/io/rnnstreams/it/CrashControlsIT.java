package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.KafkaClients;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.it.broker.WorkDirs;
import io.rnnstreams.it.broker.ProcessorJvms;
import io.rnnstreams.stream.DeadLetterReason;
import io.rnnstreams.stream.DeadLetters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16: the crash scenario of {@link CrashIT} where it had not run, at fast sizes, in {@code mvn -B verify}.
 *
 * <ul>
 *   <li>{@link #sharedScopeSurvivesKillsExactlyOnce}: shared scope (one model per task, updated by every key of the
 *       partition) on a single-partition topic, so that the order in which keys update the shared model is the
 *       topic's order and an uninterrupted TopologyTestDriver run is the reference: SIGKILLed twice (the second
 *       restart on an empty state directory), exactly one prediction per reading, byte-identical.</li>
 *   <li>{@link #atLeastOnceDuplicatesAfterAKill}: the negative control of every exactly-once test. The same kill under
 *       at_least_once, with commits 60 s apart so that no input offset is committed before the kill: the restarted
 *       processor reads the input again from the start, and {@link ReadingStream#assertSameAsReference} must fail on
 *       the duplicates. Then one record planted in the dead-letter topic must fail the "no dead letters" check that
 *       passed a moment before.</li>
 * </ul>
 *
 * <p>Sizes: {@code -Dcrash-controls.sensors} (4) x {@code -Dcrash-controls.readings} (400). Processor logs:
 * {@code integration-tests/target/crash-shared-<id>/} and {@code crash-alo-<id>/}.
 */
@WithKafkaBroker
class CrashControlsIT {
    static final int S = Integer.getInteger("crash-controls.sensors", 4);
    static final int R = Integer.getInteger("crash-controls.readings", 400);

    @RegisterExtension
    final ProcessorJvms jvms = new ProcessorJvms();

    @Test
    void sharedScopeSurvivesKillsExactlyOnce(KafkaBroker broker) throws Exception {
        long t0 = System.nanoTime();
        Path work = WorkDirs.create("crash-shared");
        ReadingStream stream = new ReadingStream(work.getFileName().toString(), S, R, 1);
        String bootstrap = broker.bootstrapServers();
        stream.createTopics(broker);
        stream.produce(bootstrap);
        Map<String, String> settings = stream.processorSettings(bootstrap, work.resolve("state-1"), "exactly_once_v2");
        settings.put("rnn.model.scope", "shared");
        int total = stream.total();
        double[] killAt = {0.3, 0.6};
        try (CrashIT.ProgressReader progress = new CrashIT.ProgressReader(bootstrap, stream.predictions())) {
            for (int run = 0; run <= killAt.length; run++) {
                if (run == 2) {
                    settings.put("state.dir", work.resolve("state-2").toString());   // state from the changelog
                }
                ProcessorJvm jvm = jvms.start(settings, work, "run-" + run);
                int before = progress.count();
                if (run < killAt.length) {
                    progress.awaitCount(CrashIT.target(killAt[run], total), jvm);
                    jvm.kill();
                    log(t0, "shared scope: run %d SIGKILLed at %,d of %,d committed predictions (%,d at its start)",
                            run, progress.count(), total, before);
                    assertTrue(progress.count() < total, "the kill came while work was left: " + progress.count());
                } else {
                    progress.awaitCount(total, jvm);
                }
            }
            stream.verify(bootstrap, AppConfig.of(settings), work);
            progress.pollFor(Duration.ofSeconds(2));
            assertEquals(total, progress.count(), "the reader that followed the runs saw exactly one per reading too");
            log(t0, "shared scope: %,d predictions after 2 SIGKILLs (one restart on an empty state dir), exactly one "
                    + "per reading, byte-identical to the TopologyTestDriver run", total);
        }
    }

    @Test
    void atLeastOnceDuplicatesAfterAKill(KafkaBroker broker) throws Exception {
        long t0 = System.nanoTime();
        Path work = WorkDirs.create("crash-alo");
        ReadingStream stream = new ReadingStream(work.getFileName().toString(), S, R, 1);
        String bootstrap = broker.bootstrapServers();
        stream.createTopics(broker);
        stream.produce(bootstrap);
        Map<String, String> settings = stream.processorSettings(bootstrap, work.resolve("state"), "at_least_once");
        settings.put("commit.interval.ms", "60000");
        int total = stream.total();
        try (CrashIT.ProgressReader progress = new CrashIT.ProgressReader(bootstrap, stream.predictions())) {
            ProcessorJvm first = jvms.start(settings, work, "run-0");
            progress.awaitCount(CrashIT.target(0.3, total), first);
            first.kill();
            int atKill = progress.count();
            ProcessorJvm second = jvms.start(settings, work, "run-1");
            progress.awaitCount(total + atKill, second);
            progress.pollFor(Duration.ofSeconds(1));
            log(t0, "at_least_once: SIGKILLed at %,d predictions; %,d predictions for %,d readings after the restart",
                    atKill, progress.count(), total);

            Map<String, List<byte[]>> actual = EndToEndIT.readCommitted(bootstrap, stream.predictions(), total,
                    Duration.ofMinutes(1));
            AssertionError duplicates = assertThrows(AssertionError.class, () -> ReadingStream.assertSameAsReference(
                    stream.testDriverRun(AppConfig.of(settings), work), actual, S, R));
            assertTrue(duplicates.getMessage().contains("exactly one committed prediction per reading"),
                    duplicates.getMessage());
            log(t0, "at_least_once: the comparator fails as it must: %s", duplicates.getMessage());

            // the dead-letter check: passes on the empty topic, fails once a record is planted in it
            ReadingStream.assertDeadLetters(Map.of(),
                    KafkaClients.readCommittedToEnd(bootstrap, stream.deadLetters(), Duration.ofMinutes(1)));
            try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap, null)) {
                ProducerRecord<String, String> planted = new ProducerRecord<>(stream.deadLetters(), "sensor-0",
                        "planted");
                DeadLetters.headers(DeadLetterReason.NON_FINITE, "planted by the test", stream.input(), 0, 0L)
                        .forEach(h -> planted.headers().add(h));
                producer.send(planted).get();
            }
            AssertionError extra = assertThrows(AssertionError.class, () -> ReadingStream.assertDeadLetters(Map.of(),
                    KafkaClients.readCommittedToEnd(bootstrap, stream.deadLetters(), Duration.ofMinutes(1))));
            log(t0, "dead letters: one planted record fails the check: %s", extra.getMessage());
        }
    }


    private static void log(long t0, String format, Object... args) {
        System.out.printf("CrashControlsIT: %5.1f s: %s%n", (System.nanoTime() - t0) / 1e9, String.format(format, args));
    }
}
