package io.rnnstreams.backtest;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.avro.UndecodableRecordException;
import io.rnnstreams.stream.StateCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Collects the predictions topic's records per sensor, in the order written; undecodable ones are counted. */
final class PredictionRecords implements Consumer<ConsumerRecord<byte[], byte[]>> {
    private final SingleObjectCodec<Prediction> codec = StateCodec.predictionCodec();
    private final Map<String, List<PredictionPoint>> bySensor = new HashMap<>();
    private long undecodable;

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null || r.value() == null) {
            undecodable++;
            return;
        }
        Prediction p;
        try {
            p = codec.decode(r.value());
        } catch (UndecodableRecordException e) {
            undecodable++;
            return;
        }
        bySensor.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                .add(new PredictionPoint(p.getEventTime().toEpochMilli(), unbox(p.getForecast()),
                        p.getPreviousError() == null ? null : unbox(p.getPreviousError()), p.getAnomalyScore(),
                        p.getIntervalLower().isEmpty() ? null : unbox(p.getIntervalLower().get(0)),
                        p.getIntervalUpper().isEmpty() ? null : unbox(p.getIntervalUpper().get(0)),
                        p.getChannelNames(), horizon(p.getHorizon())));
    }

    /** Per sensor, its predictions in the order written. */
    Map<String, List<PredictionPoint>> bySensor() {
        return bySensor;
    }

    /** Records that were not a keyed {@code Prediction}. */
    long undecodable() {
        return undecodable;
    }

    /** The prediction's multi-step forecasts, or null when it carries none. */
    private static double[][] horizon(List<List<Double>> steps) {
        if (steps == null || steps.isEmpty()) {
            return null;
        }
        double[][] h = new double[steps.size()][];
        for (int i = 0; i < h.length; i++) {
            h[i] = unbox(steps.get(i));
        }
        return h;
    }

    private static double[] unbox(List<Double> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
