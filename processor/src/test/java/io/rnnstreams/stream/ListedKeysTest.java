package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /sensors} lists only keys that {@code /sensors/{id}} and {@code ?after=} accept (issue 12 item 13):
 * a key over {@value SensorQueries#MAX_QUERYABLE_KEY_LENGTH} characters, or with a control character, is
 * skipped and does not count towards the page.
 */
class ListedKeysTest {
    @Test
    void keysTheApiRefusesAreNotListed() {
        String tooLong = "b".repeat(SensorQueries.MAX_QUERYABLE_KEY_LENGTH + 1);
        String longest = "c".repeat(SensorQueries.MAX_QUERYABLE_KEY_LENGTH);
        List<String> store = List.of("a", tooLong, longest, "d\u0001", "e", "f");
        List<String> page = new ArrayList<>();
        StreamsSensorQueries.collect(store.iterator(), null, 3, page);
        assertEquals(List.of("a", longest, "e"), page);
        page.clear();
        StreamsSensorQueries.collect(store.iterator(), "a", 2, page);
        assertEquals(List.of(longest, "e"), page);
    }
}
