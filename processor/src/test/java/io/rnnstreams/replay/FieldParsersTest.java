package io.rnnstreams.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FieldParsersTest {
    private static final long JULY_1_2016 = Instant.parse("2016-07-01T00:00:00Z").toEpochMilli();

    @Test
    void epochMilliseconds() {
        assertEquals(0L, FieldParsers.parseTimestamp("0"));
        assertEquals(1_467_331_200_000L, FieldParsers.parseTimestamp("1467331200000"));
        assertEquals(1_467_331_200_000L, FieldParsers.parseTimestamp(" 1467331200000 "));
        assertEquals(-5L, FieldParsers.parseTimestamp("-5"));
        assertEquals(7L, FieldParsers.parseTimestamp("+7"));
    }

    @Test
    void isoTimestamps() {
        assertEquals(JULY_1_2016, FieldParsers.parseTimestamp("2016-07-01T00:00:00Z"));
        assertEquals(JULY_1_2016, FieldParsers.parseTimestamp("2016-07-01 00:00:00"), "space, no offset: UTC");
        assertEquals(JULY_1_2016, FieldParsers.parseTimestamp("2016-07-01T00:00:00"), "no offset: UTC");
        assertEquals(JULY_1_2016, FieldParsers.parseTimestamp("2016-07-01t00:00:00z"));
        assertEquals(JULY_1_2016, FieldParsers.parseTimestamp("2016-07-01T02:00:00+02:00"));
        assertEquals(JULY_1_2016, FieldParsers.parseTimestamp("2016-06-30T19:00-05:00"), "minutes only");
        assertEquals(JULY_1_2016, FieldParsers.parseTimestamp("2016-07-01"), "a date alone: midnight UTC");
        assertEquals(JULY_1_2016 + 250, FieldParsers.parseTimestamp("2016-07-01T00:00:00.250Z"));
        assertEquals(JULY_1_2016 + 250, FieldParsers.parseTimestamp("2016-07-01 00:00:00.250"));
        assertEquals(JULY_1_2016 + 123, FieldParsers.parseTimestamp("2016-07-01T00:00:00.123456789Z"),
                "nanoseconds truncated to milliseconds");
        assertEquals(JULY_1_2016 + 500, FieldParsers.parseTimestamp("2016-07-01T00:00:00.5Z"));
        assertEquals(Instant.parse("1969-12-31T23:00:00Z").toEpochMilli(),
                FieldParsers.parseTimestamp("1969-12-31T23:00:00Z"));
    }

    @Test
    void fastPathAgreesWithTheFormatter() {
        SplittableRandom random = new SplittableRandom(7);
        DateTimeFormatter space = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
        for (int i = 0; i < 2_000; i++) {
            long ms = random.nextLong(-2_000_000_000_000L, 4_000_000_000_000L);
            Instant t = Instant.ofEpochMilli(ms);
            assertEquals(ms, FieldParsers.parseTimestamp(t.toString()), t.toString());
            assertEquals(ms, FieldParsers.parseTimestamp(space.format(t)), space.format(t));
            assertEquals(ms - Math.floorMod(ms, 1000), FieldParsers.parseTimestamp(space.format(t).substring(0, 19)));
        }
    }

    @Test
    void badTimestamps() {
        String expected = "expected epoch milliseconds or ISO-8601 such as 2016-07-01T00:00:00Z or 2016-07-01 00:00:00 (UTC)";
        assertEquals("unparsable timestamp \"yesterday\": " + expected, reason("yesterday"));
        assertEquals("unparsable timestamp \"2016-13-01T00:00:00Z\": " + expected, reason("2016-13-01T00:00:00Z"));
        assertEquals("unparsable timestamp \"2016-02-30 00:00:00\": " + expected, reason("2016-02-30 00:00:00"),
                "no such day");
        assertEquals("unparsable timestamp \"2016-07-01T24:00:01Z\": " + expected, reason("2016-07-01T24:00:01Z"));
        assertEquals("unparsable timestamp \"1.5\": " + expected, reason("1.5"));
        assertEquals("unparsable timestamp \"-\": " + expected, reason("-"));
        assertEquals("empty timestamp", reason("  "));
        assertEquals("timestamp \"99999999999999999999\" is out of range", reason("99999999999999999999"));
    }

    private static String reason(String text) {
        return assertThrows(IllegalArgumentException.class, () -> FieldParsers.parseTimestamp(text)).getMessage();
    }

    @Test
    void values() {
        assertEquals(1.5, FieldParsers.parseValue("1.5"));
        assertEquals(-2.0, FieldParsers.parseValue(" -2 "));
        assertEquals(1e-3, FieldParsers.parseValue("1e-3"));
        assertEquals(1e3, FieldParsers.parseValue("+1E3"));
        assertEquals(0.5, FieldParsers.parseValue(".5"));
        assertEquals(5.827000141143799, FieldParsers.parseValue("5.827000141143799"), "exact double round trip");
    }

    @Test
    void nonFiniteValuesPassThrough() {
        for (String nan : new String[] {"NaN", "nan", "NAN", "-nan", "+NaN"}) {
            assertTrue(Double.isNaN(FieldParsers.parseValue(nan)), nan);
        }
        for (String inf : new String[] {"Inf", "inf", "+inf", "Infinity", "INFINITY", "+Infinity"}) {
            assertEquals(Double.POSITIVE_INFINITY, FieldParsers.parseValue(inf), inf);
        }
        for (String inf : new String[] {"-Inf", "-infinity"}) {
            assertEquals(Double.NEGATIVE_INFINITY, FieldParsers.parseValue(inf), inf);
        }
    }

    @Test
    void badValues() {
        for (String bad : new String[] {"", " ", "abc", "1.5d", "2f", "0x1p3", "1,5", "1 2", "--1", "1e", "e5", "."}) {
            assertThrows(NumberFormatException.class, () -> FieldParsers.parseValue(bad), "\"" + bad + "\"");
        }
    }

    @Test
    void quoteShortensLongText() {
        assertEquals("\"abc\"", FieldParsers.quote("abc"));
        assertEquals('"' + "x".repeat(37) + "...\"", FieldParsers.quote("x".repeat(100)));
    }
}
