package io.rnnstreams.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.eval.detection.LabelledWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionDataTest {
    private static final String HEADER = "datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;"
            + "Thermocouple;Voltage;Volume Flow RateRMS";

    /** 60 s windows from each changepoint, merged when they overlap, cut at the file's end; scored from 400. */
    @Test
    void skabWindowsAreSixtySecondsAfterEachChangepoint(@TempDir Path root) throws Exception {
        List<String> lines = new ArrayList<>(List.of(HEADER + ";anomaly;changepoint"));
        for (int t = 0; t < 520; t++) {
            boolean changepoint = t == 410 || t == 450 || t == 500;
            boolean anomaly = t >= 410 && t < 500;
            // one missing second at t = 420: rows are located by time, not by count
            int second = t < 420 ? t : t + 1;
            lines.add(String.format("2020-03-01 00:%02d:%02d;1;1;1;1;1;1;1;1;%d;%d", second / 60, second % 60,
                    anomaly ? 1 : 0, changepoint ? 1 : 0));
        }
        Files.createDirectories(root.resolve("valve1"));
        Files.createDirectories(root.resolve("valve2"));
        Files.createDirectories(root.resolve("other"));
        Files.createDirectories(root.resolve("anomaly-free"));
        Files.write(root.resolve("valve1/0.csv"), lines);
        Files.write(root.resolve("anomaly-free/anomaly-free.csv"),
                List.of(HEADER, "2020-02-08 13:30:47;1;2;3;4;5;6;7;8", "2020-02-08 13:30:48;1;2;3;4;5;6;7;8"));
        DetectionCorpus corpus = DetectionData.skab(SkabData.read(root));
        LabelledRun run = corpus.runs().get(0);
        // 410 at 410 s; 450 at 451 s extends to 510 s = row 509; 500 (501 s) extends to 560 s: past the end
        assertEquals(List.of(new LabelledWindow(410, 519)), run.windows());
        assertEquals(400, run.firstScored());
        assertEquals(60, corpus.horizon());
        assertEquals(90, run.scored(new double[520]).events().get(0).end() - 410 + 1);
    }

    @Test
    void demoLabelsTheSixInjectedAnomalies() {
        DetectionCorpus demo = DetectionData.demo(12, 3000, 7);
        int events = 0;
        int rows = 0;
        for (LabelledRun run : demo.runs()) {
            events += run.scored(new double[run.length()]).events().size();
            for (boolean a : run.anomalous()) {
                rows += a ? 1 : 0;
            }
            for (LabelledWindow w : run.windows()) {
                assertTrue(w.width() >= DetectionData.DEMO_WINDOW_READINGS);
            }
        }
        assertEquals(6, events);
        assertEquals(3 + 3 * 24, rows); // three spikes, three 24-reading level shifts
    }
}
