package io.rnnstreams.backtest;

import io.rnnstreams.avro.LaggedOutput;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.avro.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Collects the lagged topic's records ({@code LaggedOutput}, written with {@code rnn.smoothing.lag} > 0) per sensor,
 * in the order written; undecodable ones are counted.
 */
final class LaggedRecords implements Consumer<ConsumerRecord<byte[], byte[]>> {
    /**
     * What the backtest uses of one lagged output.
     *
     * @param eventTime   event time of the judged reading
     * @param lag         {@code L}: the judgement was made at the sensor's {@code L}-th later reading
     * @param laggedScore the lagged anomaly score in [0, 1]
     */
    record Point(long eventTime, int lag, double laggedScore) {
    }

    private final SingleObjectCodec<LaggedOutput> codec = SingleObjectCodec.of(LaggedOutput.class);
    private final Map<String, List<Point>> bySensor = new HashMap<>();
    private long undecodable;

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null || r.value() == null) {
            undecodable++;
            return;
        }
        LaggedOutput o;
        try {
            o = codec.decode(r.value());
        } catch (UndecodableRecordException e) {
            undecodable++;
            return;
        }
        bySensor.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                .add(new Point(o.getEventTime().toEpochMilli(), o.getLag(), o.getLaggedScore()));
    }

    /** Per sensor, its lagged outputs in the order written. */
    Map<String, List<Point>> bySensor() {
        return bySensor;
    }

    long undecodable() {
        return undecodable;
    }

    /**
     * The lagged scores of {@code series}' readings, each placed at the row of the reading whose arrival completed it
     * ({@code atCompletion}: judged row + {@code L}, what a consumer of the stream can act on, the delay charged) or at
     * the judged row itself (hindsight); 0 where no judgement lands (the first {@code L} rows, and the readings
     * never judged), as the application's warm-up shows.
     */
    static double[] scores(SensorSeries series, List<Point> points, boolean atCompletion) {
        double[] scores = new double[series.size()];
        Map<Long, Integer> rows = new HashMap<>();
        for (int t = 0; t < series.size(); t++) {
            rows.put(series.eventTimes()[t], t);
        }
        for (Point p : points) {
            Integer row = rows.get(p.eventTime());
            if (row == null) {
                continue;
            }
            int at = atCompletion ? row + p.lag() : row;
            if (at < scores.length) {
                scores[at] = p.laggedScore();
            }
        }
        return scores;
    }
}
