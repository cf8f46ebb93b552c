package io.rnnstreams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rnnstreams.backtest.BacktestAnalysis;
import io.rnnstreams.backtest.BacktestOptions;
import io.rnnstreams.backtest.BacktestReport;
import io.rnnstreams.backtest.PredictionPoint;
import io.rnnstreams.backtest.Reading;
import io.rnnstreams.demo.DemoData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
    /**
     * The demo prints the stream's alarms (the predictions' {@code anomaly} flags), not alarms recomputed from the
     * scores: a lone error spike the stream did not confirm (score above the threshold, no flag) is no alarm, a
     * spike confirmed one reading late alarms there, and a change re-alarm (flag below the threshold) is one.
     */
    @Test
    void printsTheStreamsAlarmsNotTheScoresAboveTheThreshold() throws Exception {
        DemoData data = new DemoData(2, 600, 7);
        DemoData.Anomaly spike = data.anomalies().get(0);
        DemoData.Anomaly shift = data.anomalies().get(1);
        assertEquals(List.of("sensor-01 spike", "sensor-00 level shift (24 readings)"),
                List.of(spike.sensor() + " " + spike.kind(), shift.sensor() + " " + shift.kind()));
        int spikeAt = index(spike.eventTime());
        int shiftAt = index(shift.eventTime());
        Map<String, List<Reading>> records = new HashMap<>();
        Map<String, List<PredictionPoint>> predictions = new HashMap<>();
        for (int k = 0; k < 2; k++) {
            List<Reading> r = new ArrayList<>();
            List<PredictionPoint> p = new ArrayList<>();
            for (int t = 0; t < data.readings(); t++) {
                double score = 0.5;
                boolean anomaly = false;
                if (k == 1 && t == spikeAt) {
                    score = 0.99999;
                    anomaly = true;
                } else if (k == 0 && t == shiftAt) {
                    score = 0.99995; // a lone error spike, pending ...
                } else if (k == 0 && t == shiftAt + 1) {
                    score = 0.9999; // ... and confirmed by the next reading: the alarm is here
                    anomaly = true;
                } else if (k == 0 && t == 100) {
                    score = 0.99995; // a lone error spike the next reading does not confirm: no alarm
                } else if (k == 1 && t == 200) {
                    score = 1.0; // a false alarm
                    anomaly = true;
                } else if (k == 1 && t == 205) {
                    anomaly = true; // a change re-alarm while that alarm stands, below the threshold
                }
                long time = DemoData.time(t);
                r.add(new Reading(time, new double[] {data.value(k, t)}));
                p.add(new PredictionPoint(time, new double[] {data.value(k, t)}, t == 0 ? null : new double[] {0},
                        score, null, null, List.of(), null, anomaly));
            }
            records.put(DemoData.sensorId(k), r);
            predictions.put(DemoData.sensorId(k), p);
        }
        BacktestReport report = new BacktestAnalysis(1, 1e12, BacktestOptions.of("in").withAnomalyThreshold(0.9999))
                .analyse(records, predictions, 1200, 0);
        StringWriter text = new StringWriter();
        DemoCommand.printAlarms(new PrintWriter(text), data, report, 0.9999);
        assertEquals(List.of(
                "Injected anomalies and the stream's alarms (Prediction.anomaly at rnn.anomaly.threshold 0.9999: one "
                        + "per event unless it escalates or changes, a lone error spike only when confirmed):",
                "  sensor-01 spike at " + Instant.ofEpochMilli(spike.eventTime())
                        + ": alarm 0 readings after its start, score 0.999990",
                "  sensor-00 level shift (24 readings) at " + Instant.ofEpochMilli(shift.eventTime())
                        + ": alarm 1 readings after its start, score 0.999900",
                "Alarmed 2 of 2 injected anomalies within 2 readings; 2 other alarms (of 1,200 readings):",
                "  sensor-01 at " + Instant.ofEpochMilli(DemoData.time(200)) + ", score 1.000000",
                "  sensor-01 at " + Instant.ofEpochMilli(DemoData.time(205)) + ", score 0.500000"),
                text.toString().lines().toList());
    }

    private static int index(long eventTime) {
        return (int) ((eventTime - DemoData.START_MS) / DemoData.STEP_MS);
    }
}
