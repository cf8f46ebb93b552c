package io.rnnstreams.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {
    @TempDir
    Path dir;

    @Test
    void sameSeedSameDataAndTheAnomaliesAreWhereTheySayTheyAre() throws Exception {
        DemoData a = new DemoData(12, 3000, 7);
        DemoData b = new DemoData(12, 3000, 7);
        assertEquals(a.anomalies(), b.anomalies());
        assertEquals(6, a.anomalies().size());
        for (int k = 0; k < 12; k++) {
            for (int t = 0; t < 3000; t += 97) {
                assertEquals(Double.doubleToRawLongBits(a.value(k, t)), Double.doubleToRawLongBits(b.value(k, t)));
            }
        }
        DemoData.Anomaly spike = a.anomalies().get(0);
        assertEquals("spike", spike.kind());
        int k = Integer.parseInt(spike.sensor().substring("sensor-".length()));
        int t = (int) ((spike.eventTime() - DemoData.START_MS) / DemoData.STEP_MS);
        double jump = Math.abs(a.value(k, t) - a.value(k, t - 1));
        double usual = Math.abs(a.value(k, t - 1) - a.value(k, t - 2));
        assertTrue(jump > 5 * usual + 1, "a spike stands out: jump " + jump + " vs " + usual);
        assertTrue(t >= 1500, "anomalies come in the second half");

        Path csv = dir.resolve("demo.csv");
        a.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(1 + 12 * 3000, lines.size());
        assertEquals("timestamp,sensor,value", lines.get(0));
        assertEquals("2026-01-05T00:00:00Z,sensor-00," + a.value(0, 0), lines.get(1));
    }
}
