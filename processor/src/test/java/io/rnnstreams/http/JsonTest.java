package io.rnnstreams.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The writer's output is valid JSON (read back by Jackson) with the same strings and bit-identical doubles. */
class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void stringsAreEscaped() throws Exception {
        String nasty = "q\" b\\ n\n r\r t\t nul\u0000 bell\u0007 del\u007f ls\u2028 ps\u2029 ü € 😀 /";
        String json = Json.write(Map.of("k\"ey", nasty));
        assertEquals(nasty, MAPPER.readTree(json).get("k\"ey").asText());
        assertTrue(json.contains("\\u0000") && json.contains("\\u2028") && json.contains("\\\""), json);
        // an unpaired surrogate cannot be written as UTF-8: it is escaped
        String lone = "a\ud800b\udc00c";
        String loneJson = Json.write(lone);
        assertEquals("\"a\\ud800b\\udc00c\"", loneJson);
        assertEquals(lone, MAPPER.readTree(loneJson).asText());
    }

    @Test
    void doublesReadBackBitIdenticalAndNonFiniteIsNull() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        double[] values = new double[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(values[i])) {
                values[i] = random.nextDouble() * 1e-300;
            }
        }
        values[0] = -0.0;
        values[1] = Double.MIN_VALUE;
        values[2] = Double.MAX_VALUE;
        JsonNode back = MAPPER.readTree(Json.write(values));
        for (int i = 0; i < values.length; i++) {
            assertEquals(Double.doubleToLongBits(values[i]), Double.doubleToLongBits(back.get(i).asDouble()), "at " + i);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", new double[] {Double.POSITIVE_INFINITY, 1.0, Double.NEGATIVE_INFINITY});
        m.put("rows", new double[][] {{1.5}, {Double.NaN, 2}});
        m.put("list", List.of(1, 2L, true, "x"));
        m.put("none", null);
        assertEquals("{\"nan\":null,\"inf\":[null,1.0,null],\"rows\":[[1.5],[null,2.0]],\"list\":[1,2,true,\"x\"],"
                + "\"none\":null}", Json.write(m));
        MAPPER.readTree(Json.write(m));
    }

    @Test
    void otherTypesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "x")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Arrays.asList(1.0f)));
    }
}
