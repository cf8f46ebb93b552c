package io.rnnstreams.accuracy;

import io.rnnstreams.demo.DemoData;
import io.rnnstreams.eval.Dataset;
import io.rnnstreams.eval.KeySeries;
import java.util.ArrayList;
import java.util.List;

/** The demo's generated data set ({@link DemoData}) as an accuracy dataset: its sensors, one channel each. */
public final class DemoSet {
    /** The demo command's defaults. */
    public static final int SENSORS = 12;
    public static final int READINGS = 3000;
    public static final long SEED = 7;
    /** A day of 5-minute readings. */
    public static final int PERIOD = 288;

    private DemoSet() {
    }

    /** The demo data with the demo command's defaults (12 sensors x 3,000 readings, seed 7). */
    public static Dataset dataset() {
        DemoData data = new DemoData(SENSORS, READINGS, SEED);
        List<KeySeries> keys = new ArrayList<>();
        for (int k = 0; k < data.sensors(); k++) {
            double[][] v = new double[data.readings()][1];
            for (int t = 0; t < data.readings(); t++) {
                v[t][0] = data.value(k, t);
            }
            keys.add(new KeySeries(DemoData.sensorId(k), v));
        }
        return new Dataset("demo data", "The demo's generated sensors (rnn-streams demo defaults: " + SENSORS
                + " sensors x " + READINGS + " readings every 5 minutes, seed " + SEED + "): daily cycle (period "
                + PERIOD + "), weekly drift, AR(1) noise, level switches, " + data.anomalies().size()
                + " injected anomalies.", 1, PERIOD, keys);
    }
}
