package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.WithKafkaBroker;
import io.rnnstreams.it.broker.WorkDirs;
import io.rnnstreams.it.broker.ProcessorJvms;
import io.rnnstreams.stream.StateCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14: {@link CrashIT}'s scenario with the encoder-decoder and the fixed-lag smoother on
 * ({@code rnn.forecast.mode=seq2seq}, {@code rnn.forecast.horizon=6}, {@code rnn.smoothing.lag=3}, scope key, 4
 * partitions): the processor JVM is SIGKILLed twice while S sensors x R readings flow (the second restart on an empty
 * state directory, so the key states and both model stores come back from the changelogs), and read_committed
 * consumers must see exactly one prediction per reading and one lagged output per reading but each sensor's last 3,
 * per sensor byte-identical to a TopologyTestDriver run of the same input and settings (its horizon the decoder's 6
 * forecasts).
 *
 * <p>Sizes: {@code -Dseq2seq-crash.sensors} (6) x {@code -Dseq2seq-crash.readings} (400). Run it alone:
 * {@code nice mvn -B -pl integration-tests -am verify -Dit.test=Seq2SeqCrashIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}. Processor logs: {@code integration-tests/target/crash-seq2seq-<id>/}.
 */
@WithKafkaBroker
class Seq2SeqCrashIT {
    static final int S = Integer.getInteger("seq2seq-crash.sensors", 6);
    static final int R = Integer.getInteger("seq2seq-crash.readings", 400);
    static final int HORIZON = 6;
    static final int LAG = 3;

    @RegisterExtension
    final ProcessorJvms jvms = new ProcessorJvms();

    @Test
    void seq2seqSurvivesKillsWithExactlyOnePredictionPerReadingIdenticalToTheTestDriver(KafkaBroker broker)
            throws Exception {
        long t0 = System.nanoTime();
        Path work = WorkDirs.create("crash-seq2seq");
        String id = work.getFileName().toString();
        ReadingStream stream = new ReadingStream(id, S, R, 4);
        String bootstrap = broker.bootstrapServers();
        stream.createTopics(broker);
        String lagged = stream.predictions() + "-lagged"; // rnn.topic.lagged's default
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(lagged, 4, (short) 1).configs(Map.of("retention.ms", "-1"))))
                    .all().get(60, TimeUnit.SECONDS);
        }
        stream.produce(bootstrap);
        Map<String, String> settings = stream.processorSettings(bootstrap, work.resolve("state-1"), "exactly_once_v2");
        settings.put("rnn.learner", "rnn"); // the encoder-decoder replaces the plain RNN (the default is the hybrid)
        settings.put("rnn.forecast.mode", "seq2seq");
        settings.put("rnn.forecast.horizon", Integer.toString(HORIZON));
        settings.put("rnn.smoothing.lag", Integer.toString(LAG));
        int total = stream.total();
        double[] killAt = {0.3, 0.65};
        try (CrashIT.ProgressReader progress = new CrashIT.ProgressReader(bootstrap, stream.predictions())) {
            for (int run = 0; run <= killAt.length; run++) {
                if (run == 2) {
                    settings.put("state.dir", work.resolve("state-2").toString()); // state from the changelogs
                }
                ProcessorJvm jvm = jvms.start(settings, work, "run-" + run);
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
            // the lagged outputs: one per reading once LAG later readings of its sensor arrived, byte-identical
            Map<String, List<byte[]>> laggedOut = EndToEndIT.readCommitted(bootstrap, lagged, S * (R - LAG),
                    Duration.ofMinutes(1));
            ReadingStream.assertSameAsReference(stream.testDriverRun(config, work.resolve("check-lagged"), lagged),
                    laggedOut, S, R - LAG);
            log(t0, "%,d predictions and %,d lagged outputs after 2 SIGKILLs (one restart on an empty state dir), "
                    + "exactly one per reading, byte-identical to the TopologyTestDriver run", total, S * (R - LAG));
        }
    }

    private static void log(long t0, String format, Object... args) {
        System.out.printf("Seq2SeqCrashIT: %5.1f s: %s%n", (System.nanoTime() - t0) / 1e9, String.format(format, args));
    }
}
