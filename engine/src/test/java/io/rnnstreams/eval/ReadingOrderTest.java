package io.rnnstreams.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ReadingOrder}: the (key, step) sequence a stream delivers, interleaved or key by key, ended keys skipped. */
class ReadingOrderTest {
    private static Dataset keys(int... lengths) {
        List<KeySeries> series = new ArrayList<>();
        for (int k = 0; k < lengths.length; k++) {
            series.add(new KeySeries("k" + k, new double[lengths[k]][1]));
        }
        return new Dataset("d", "lengths", 1, 0, series);
    }

    private static String order(Dataset data) {
        StringBuilder s = new StringBuilder();
        ReadingOrder order = new ReadingOrder(data);
        while (order.next()) {
            s.append(order.key()).append(':').append(order.step()).append(' ');
        }
        return s.toString().trim();
    }

    @Test
    void interleavesStepByStepSkippingEndedKeys() {
        assertEquals("0:0 1:0 2:0 0:1 2:1 0:2", order(keys(3, 1, 2)));
    }

    @Test
    void deliversKeyAfterKeyInSequence() {
        assertEquals("0:0 0:1 0:2 1:0 2:0 2:1", order(keys(3, 1, 2).inSequence()));
    }

    @Test
    void emptyKeysDeliverNothing() {
        assertEquals("", order(keys(0, 0)));
        assertEquals("", order(keys(0, 0).inSequence()));
    }
}
