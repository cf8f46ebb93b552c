package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.stream.StateCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: {@link CrashIT}'s scenario with the encoder-decoder on ({@code rnn.forecast.mode=seq2seq},
 * {@code rnn.forecast.horizon=6}, scope key, 4 partitions): the processor JVM is SIGKILLed twice while S sensors x R
 * readings flow (the second restart on an empty state directory, so the encoder-decoder's key states and models come
 * back from the changelogs), and a read_committed consumer must see exactly one prediction per reading, per sensor
 * byte-identical to a TopologyTestDriver run of the same input and settings (its horizon the decoder's 6 forecasts).
 *
 * <p>Sizes: {@code -Dseq2seq-crash.sensors} (6) x {@code -Dseq2seq-crash.readings} (600). Run it alone:
 * {@code nice mvn -B -pl integration-tests -am verify -Dit.test=Seq2SeqCrashIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}. Processor logs: {@code integration-tests/target/crash-seq2seq-<id>/}.
 */
@WithKafkaBroker
class Seq2SeqCrashIT {
    static final int S = Integer.getInteger("seq2seq-crash.sensors", 6);
    static final int R = Integer.getInteger("seq2seq-crash.readings", 600);
    static final int HORIZON = 6;

    private final List<ProcessorJvm> jvms = new ArrayList<>();

    @AfterEach
    void killProcessors() throws InterruptedException {
        for (ProcessorJvm jvm : jvms) {
            jvm.close();
        }
    }

    @Test
    void seq2seqSurvivesKillsWithExactlyOnePredictionPerReadingIdenticalToTheTestDriver(KafkaBroker broker)
            throws Exception {
        long t0 = System.nanoTime();
        String id = "crash-seq2seq-" + UUID.randomUUID().toString().substring(0, 8);
        Path work = Files.createDirectories(Path.of(System.getProperty("rnnstreams.broker.workDir", "target"))
                .toAbsolutePath().resolve(id));
        ReadingStream stream = new ReadingStream(id, S, R, 4);
        String bootstrap = broker.bootstrapServers();
        stream.createTopics(broker);
        stream.produce(bootstrap);
        Map<String, String> settings = stream.processorSettings(bootstrap, work.resolve("state-1"), "exactly_once_v2");
        settings.put("rnn.forecast.mode", "seq2seq");
        settings.put("rnn.forecast.horizon", Integer.toString(HORIZON));
        int total = stream.total();
        double[] killAt = {0.3, 0.65};
        try (CrashIT.ProgressReader progress = new CrashIT.ProgressReader(bootstrap, stream.predictions())) {
            for (int run = 0; run <= killAt.length; run++) {
                if (run == 2) {
                    settings.put("state.dir", work.resolve("state-2").toString()); // state from the changelogs
                }
                ProcessorJvm jvm = ProcessorJvm.start(ProcessorJvm.locateJar(), settings, work, "run-" + run);
                jvms.add(jvm);
                int before = progress.count();
                if (run < killAt.length) {
                    progress.awaitCount(CrashIT.target(killAt[run], total), jvm);
                    jvm.kill();
                    log(t0, "run %d SIGKILLed at %,d of %,d committed predictions (%,d at its start)", run,
                            progress.count(), total, before);
                    assertTrue(progress.count() < total, "the kill came while work was left: " + progress.count());
                } else {
                    progress.awaitCount(total, jvm);
                }
            }
            AppConfig config = AppConfig.of(settings);
            stream.verify(bootstrap, config, work);
            progress.pollFor(Duration.ofSeconds(2));
            assertEquals(total, progress.count(), "the reader that followed the runs saw exactly one per reading too");
            // the predictions compared are the encoder-decoder's: N forecasts each, its fingerprint
            Map<String, List<byte[]>> reference = stream.testDriverRun(config, work.resolve("check"));
            Prediction last = StateCodec.predictionCodec().decode(reference.get("sensor-0").get(R - 1));
            assertEquals(HORIZON, last.getHorizon().size());
            assertEquals(config.streamSettings().seq2seqConfig().fingerprint(), last.getModelFingerprint());
            log(t0, "%,d predictions after 2 SIGKILLs (one restart on an empty state dir), exactly one per reading, "
                    + "byte-identical to the TopologyTestDriver run", total);
        }
    }

    private static void log(long t0, String format, Object... args) {
        System.out.printf("Seq2SeqCrashIT: %5.1f s: %s%n", (System.nanoTime() - t0) / 1e9, String.format(format, args));
    }
}
