package io.rnnstreams.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstreams.avro.Prediction;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link Prediction} as a plain JSON object: the value of the predictions topic when
 * {@code rnn.format.output=json}, and what {@code rnn-streams tail} prints.
 *
 * <p>Contract: one member per field of the Prediction schema, named and ordered as in the schema; timestamps
 * ({@code timestamp-millis}) as epoch milliseconds (a JSON integer); arrays as arrays; maps as objects; a null
 * union as {@code null} (no Avro JSON-encoding union wrappers such as {@code {"array": [...]}}); a non-finite
 * double as {@code null}. Fields added to the schema later appear without a change here.
 */
public final class PredictionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PredictionJson() {
    }

    /** The prediction as a JSON object, as described in the class comment. */
    public static ObjectNode toJson(Prediction prediction) {
        ObjectNode object = NODES.objectNode();
        for (Schema.Field field : prediction.getSchema().getFields()) {
            object.set(field.name(), node(prediction.get(field.pos())));
        }
        return object;
    }

    /** The prediction's JSON object as UTF-8 bytes. */
    public static byte[] toBytes(Prediction prediction) {
        try {
            return MAPPER.writeValueAsBytes(toJson(prediction));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // cannot happen: a tree of plain nodes
        }
    }

    /**
     * Reads a JSON value written by {@link #toBytes} (or any JSON object).
     *
     * @throws IllegalArgumentException if {@code bytes} are not one JSON object
     */
    public static ObjectNode parse(byte[] bytes) {
        JsonNode node;
        try {
            node = MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("not a JSON object: " + (node == null ? "empty" : node.getNodeType()));
        }
        return object;
    }

    /** The predictions-topic value serializer of {@code rnn.format.output=json}; null stays null. */
    public static Serializer<Prediction> serializer() {
        return (topic, prediction) -> prediction == null ? null : toBytes(prediction);
    }

    private static JsonNode node(Object value) {
        if (value == null) {
            return NODES.nullNode();
        } else if (value instanceof Double d) {
            return Double.isFinite(d) ? NODES.numberNode(d) : NODES.nullNode();
        } else if (value instanceof Float f) {
            return Float.isFinite(f) ? NODES.numberNode(f) : NODES.nullNode();
        } else if (value instanceof Long l) {
            return NODES.numberNode(l);
        } else if (value instanceof Integer i) {
            return NODES.numberNode(i);
        } else if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        } else if (value instanceof Instant t) {
            return NODES.numberNode(t.toEpochMilli());
        } else if (value instanceof CharSequence s) {
            return NODES.textNode(s.toString());
        } else if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode(list.size());
            list.forEach(element -> array.add(node(element)));
            return array;
        } else if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set(k.toString(), node(v)));
            return object;
        }
        throw new IllegalArgumentException("no JSON form for a " + value.getClass().getName()
                + " in a Prediction (a new field type: add it here)");
    }
}
