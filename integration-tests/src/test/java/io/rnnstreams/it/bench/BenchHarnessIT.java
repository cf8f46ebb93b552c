package io.rnnstreams.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.WithKafkaBroker;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke run of the end-to-end benchmark harness in {@code mvn verify}: one rnn-streams cell (key scope,
 * exactly-once, K = 20, H = 8) and its baseline, fixed small sizes. It asserts what the harness counts, never
 * how fast anything was: every reading yields exactly one committed output record in every phase, the
 * latency sample has one entry per reading, the bytes the broker stored are those the state must hold (the
 * baseline's 16-byte value plus its 7-byte key per key, exactly; the per-key models at least 3P doubles
 * each), the restore onto an empty state directory brings the key's state back (the probe prediction counts
 * every earlier reading of its key), and the report files are written.
 */
@WithKafkaBroker
class BenchHarnessIT {
    private static final int K = 20;
    private static final int R = 600;

    @TempDir
    Path tmp;

    @Test
    void harnessCountsEveryReadingAndMeasuresStoredState(KafkaBroker broker) throws Exception {
        BenchCell rnn = BenchCell.rnn("key", BenchCell.EOS, K, 8);
        BenchCell baseline = BenchCell.baseline(BenchCell.EOS, K);
        BenchConfig config = new BenchConfig(true, List.of(rnn, baseline), Duration.ofSeconds(1), R, 1, R, 10, 200,
                new double[] {0.5}, Duration.ofSeconds(1), 2, true, List.of("-Xmx512m"), tmp.resolve("bench"),
                Duration.ofMinutes(3), false, Map.of(), Duration.ZERO, 2).validate();

        List<CellResult> results = EndToEndBenchmark.runGrid(broker, config);

        assertEquals(2, results.size());
        for (CellResult r : results) {
            String label = r.cell().label();
            assertNull(r.error(), label);
            assertEquals(2 * R, r.readings(), label + ": two bursts of R");
            assertEquals(2, r.burstRates().size(), label);
            assertEquals(BurstRates.median(r.burstRates()), r.maxRate(), label);
            assertEquals(r.predictionsExpected(), r.predictionsReceived(), label + ": exactly one output per reading");
            long sentInLoads = r.loads().stream().mapToLong(CellResult.LoadResult::sent).sum();
            assertEquals(2 * R + sentInLoads, r.measuredReadings(), label);
            for (CellResult.LoadResult l : r.loads()) {
                assertEquals(l.sent(), l.latency().count(), label + ": one latency per reading");
                assertEquals(l.sent(), l.fromSend().count(), label + ": one latency from the send per reading");
                assertTrue(l.latency().p50() >= 0 && l.latency().p50() <= l.latency().p99(), label);
                assertTrue(l.fromSend().p50() >= 0 && l.fromSend().p50() <= l.latency().p50(),
                        label + ": a reading is sent when due or after, never before");
            }
            assertTrue(r.maxRate() > 0 && r.changelogBytesPerReading() > 0 && r.predictionBytesPerReading() > 0, label);
        }

        CellResult b = results.get(1);
        // live state: per key "s-000nn" (7 bytes) + the 16-byte value, nothing else
        assertEquals(K * 23L, b.stateBytes().get("baseline-state-changelog"));
        assertEquals(23.0, b.stateBytesPerKey());

        CellResult r = results.get(0);
        long p = 4L * 8 * (1 + 8) + 4 * 8 + 8 + 1;   // LSTM D=1 H=8 with a linear head: 329 parameters
        long models = r.stateBytes().get("rnn-models-changelog");
        assertTrue(models >= K * 3 * p * 8 && models < K * (3 * p * 8 + 2048),
                "every key's model (weights and Adam moments, 3P doubles) is stored once: " + models);
        assertTrue(r.stateBytes().get("rnn-key-state-changelog") > 0);
        assertTrue(r.probeReadingsSent() > R / K, "the probe key had earlier readings");
        assertEquals(r.probeReadingsSent(), r.probeReadingsLearned(),
                "after the restore onto an empty state directory the probe's key continues from its stored state");

        Path out = config.out();
        String md = Files.readString(out.resolve(BenchReport.MARKDOWN));
        assertTrue(md.contains("| " + rnn.label() + " |") && md.contains("| " + baseline.label() + " |"), md);
        assertEquals(3, Files.readAllLines(out.resolve(BenchReport.CELLS_CSV)).size());
        assertEquals(3, Files.readAllLines(out.resolve(BenchReport.LOADS_CSV)).size());
        BufferedImage png = ImageIO.read(out.resolve(BenchReport.PLOT).toFile());
        assertEquals(1800, png.getWidth());
        assertEquals(600, png.getHeight());
    }
}
