package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.eval.PredictionIntervals;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forecast times, intervals, channel names and tags of a prediction ({@link PredictionDetails}). */
class PredictionDetailsTest {
    private static Prediction.Builder base() {
        return Prediction.newBuilder().setEventTime(Instant.ofEpochMilli(1_000)).setForecast(List.of(1.0, 2.0))
                .setAnomalyScore(0).setReadingsLearned(1).setModelFingerprint("fp");
    }

    /** TypicalInterval state: count 3, intervals 60 s, 60 s, 62 s: median 60 s. */
    private static final long[] MINUTELY = {3, 60_000, 60_000, 62_000, 0, 0};

    /** PredictionIntervals state of 2 channels after 30 errors: offsets [-1, +2] and [-0.5, +0.5]. */
    private static double[] readyIntervals() {
        return new double[] {30, -1.0, 2.0, 1.0, -0.5, 0.5, 0.3};
    }

    @Test
    void everyStepHasItsTimeAndBandsWidenedBySqrtOfTheStep() {
        Prediction p = PredictionDetails.complete(base().build(), 1_000, new double[] {1.0, 2.0},
                List.of(List.of(1.0, 2.0), List.of(1.5, 2.5), List.of(2.0, 3.0), List.of(2.5, 3.5)), readyIntervals(),
                0.9, MINUTELY, Map.of("channels", "flow, pressure", "site", "north"), new PredictionDetails.ChannelNames());

        assertEquals(List.of(Instant.ofEpochMilli(61_000), Instant.ofEpochMilli(121_000),
                Instant.ofEpochMilli(181_000), Instant.ofEpochMilli(241_000)), p.getForecastTimes());
        assertEquals(0.9, p.getIntervalLevel());
        assertEquals(List.of(0.0, 1.5), p.getIntervalLower().get(0));
        assertEquals(List.of(3.0, 2.5), p.getIntervalUpper().get(0));
        assertEquals(List.of(2.5 - 2.0, 3.5 - 0.5 * 2.0), p.getIntervalLower().get(3)); // sqrt(4) = 2
        assertEquals(List.of(2.5 + 4.0, 3.5 + 0.5 * 2.0), p.getIntervalUpper().get(3));
        assertEquals(List.of("flow", "pressure"), p.getChannelNames());
        assertEquals(Map.of("channels", "flow, pressure", "site", "north"), p.getTags());
    }

    @Test
    void horizonOneGivesOneStepAndAFirstReadingNoTimes() {
        Prediction p = PredictionDetails.complete(base().build(), 1_000, new double[] {1.0, 2.0}, List.of(), readyIntervals(),
                0.9, new long[6], Map.of(), new PredictionDetails.ChannelNames());

        assertEquals(List.of(), p.getForecastTimes());
        assertEquals(List.of(List.of(0.0, 1.5)), p.getIntervalLower());
        assertEquals(List.of(List.of(3.0, 2.5)), p.getIntervalUpper());
        assertEquals(List.of(), p.getChannelNames());
    }

    @Test
    void noIntervalsBeforeTheWarmUpAndNoNamesOfAnotherCount() {
        double[] state = readyIntervals();
        state[0] = PredictionIntervals.WARM_UP - 1;
        Prediction p = PredictionDetails.complete(base().build(), 1_000, new double[] {1.0, 2.0}, List.of(), state, 0.9,
                MINUTELY, Map.of("channels", "a,b,c"), new PredictionDetails.ChannelNames());

        assertNull(p.getIntervalLevel());
        assertEquals(List.of(), p.getIntervalLower());
        assertEquals(List.of(), p.getChannelNames());
        assertEquals(List.of(Instant.ofEpochMilli(61_000)), p.getForecastTimes());
    }

    @Test
    void theTasksChannelNamesAreTheTagsOwnAsItChanges() {
        // one ChannelNames over a stream of readings whose tag and channel count change, repeat and return
        java.util.Random random = new java.util.Random(20261207L);
        String[] tags = {"a,b", "a, b", "a,b,c", " x ,y", "a,,b", "", ",", "flow,pressure", "flow, pressure "};
        PredictionDetails.ChannelNames names = new PredictionDetails.ChannelNames();
        for (int i = 0; i < 10_000; i++) {
            Map<String, String> readingTags = random.nextInt(5) == 0 ? Map.of("site", "north")
                    // a new String each reading, as decoded
                    : Map.of("channels", new String(tags[random.nextInt(tags.length)]), "site", "north");
            int channels = 1 + random.nextInt(3);
            assertEquals(PredictionDetails.channelNames(readingTags, channels), names.of(readingTags, channels),
                    "reading " + i + ": " + readingTags + ", " + channels + " channels");
        }
    }
}
