package io.rnnstreams.stream;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.eval.PredictionIntervals;
import io.rnnstreams.learner.TypicalInterval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * The context fields of a {@link Prediction}: the event time of each forecast step, the prediction intervals,
 * the channel names and the reading's tags (the schema's docs say what each holds).
 *
 * <p>Channel names come from the reading's tag {@value #CHANNELS_TAG}: comma-separated, one name per channel
 * (surrounding blanks dropped); absent, or of another count, they are left empty. The configuration does not
 * name channels: sensors of one application may differ in what their channels are.
 */
final class PredictionDetails {
    /** The reading tag that names the channels, e.g. {@code channels=temperature,humidity}. */
    static final String CHANNELS_TAG = "channels";
    /** The schema of every {@code array<double>} field of the stream's records. */
    private static final Schema DOUBLES = Prediction.getClassSchema().getField("forecast").schema();

    private PredictionDetails() {
    }

    /**
     * Sets {@code forecastTimes}, {@code intervalLevel}, {@code intervalLower}, {@code intervalUpper},
     * {@code channelNames} and {@code tags} on {@code prediction} (the stream builds its predictions without Avro's
     * builder, which copies the schema's field list and validates each value per record).
     *
     * @param prediction     the prediction, its other fields set
     * @param eventTime      the reading's event time
     * @param forecast       the next-step forecast
     * @param horizon        the n-step rollout, empty when the horizon is 1
     * @param intervals      the key's interval state after this reading's error ({@link PredictionIntervals})
     * @param level          its nominal coverage
     * @param timeIntervals  the key's {@link TypicalInterval} state after this reading
     * @param tags           the reading's tags
     * @param names          the task's {@link ChannelNames}
     * @return {@code prediction}
     */
    static Prediction complete(Prediction prediction, long eventTime, double[] forecast,
                               List<List<Double>> horizon, double[] intervals, double level,
                               long[] timeIntervals, Map<String, String> tags, ChannelNames names) {
        int steps = Math.max(1, horizon.size());
        long typical = TypicalInterval.typicalMs(timeIntervals);
        List<Instant> times = new ArrayList<>(steps);
        for (int i = 1; typical > 0 && i <= steps; i++) {
            times.add(Instant.ofEpochMilli(eventTime + i * typical));
        }
        prediction.setForecastTimes(times);
        prediction.setChannelNames(names.of(tags, forecast.length));
        prediction.setTags(tags);
        if (!PredictionIntervals.ready(intervals)) {
            prediction.setIntervalLevel(null);
            prediction.setIntervalLower(List.of());
            prediction.setIntervalUpper(List.of());
            return prediction;
        }
        List<List<Double>> lower = new ArrayList<>(steps);
        List<List<Double>> upper = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            double[] center = horizon.isEmpty() ? forecast
                    : horizon.get(i).stream().mapToDouble(Double::doubleValue).toArray();
            lower.add(avroDoubles(PredictionIntervals.bounds(intervals, center, i + 1, false)));
            upper.add(avroDoubles(PredictionIntervals.bounds(intervals, center, i + 1, true)));
        }
        prediction.setIntervalLevel(level);
        prediction.setIntervalLower(lower);
        prediction.setIntervalUpper(upper);
        return prediction;
    }

    /**
     * {@link #channelNames} of the readings of one task, the last result kept: a sensor sends the same
     * {@value #CHANNELS_TAG} tag with every reading, and splitting it took ~180 ns per reading at eight channels. The
     * same names as {@link #channelNames}, in the same (unmodifiable) list for as long as the tag and the count stay.
     * Not thread-safe: one per processor (a task is processed by one thread).
     */
    static final class ChannelNames {
        private String lastTag;
        private int lastChannels;
        private List<String> lastNames;

        /** {@link #channelNames}{@code (tags, channels)}. */
        List<String> of(Map<String, String> tags, int channels) {
            String tag = tags.get(CHANNELS_TAG);
            if (tag == null) {
                return List.of();
            }
            if (channels != lastChannels || !tag.equals(lastTag)) {
                lastNames = channelNames(tags, channels);
                lastTag = tag;
                lastChannels = channels;
            }
            return lastNames;
        }
    }

    /** The names of the tag {@value #CHANNELS_TAG} if it names exactly {@code channels} channels, else none. */
    static List<String> channelNames(Map<String, String> tags, int channels) {
        String names = tags.get(CHANNELS_TAG);
        if (names == null) {
            return List.of();
        }
        List<String> list = Arrays.stream(names.split(",", -1)).map(String::strip).toList();
        return list.size() == channels && list.stream().noneMatch(String::isEmpty) ? list : List.of();
    }

    /**
     * {@code a} as the list an Avro {@code array<double>} field holds: a copy in Avro's primitive-backed array (what
     * Avro's {@code GenericDatumReader} and the codec's {@code SensorReadingReader} make of such a field; Avro's fast
     * reader makes a {@code GenericData.Array} of boxed doubles), so the values are not boxed and the codec writes them
     * straight from it ({@code PredictionWriter}, {@code ShortPathDatumWriter}); it runs several times per reading.
     */
    static List<Double> avroDoubles(double[] a) {
        PrimitivesArrays.DoubleArray list = new PrimitivesArrays.DoubleArray(a.length, DOUBLES);
        for (int i = 0; i < a.length; i++) {
            list.add(i, a[i]);
        }
        return list;
    }
}
