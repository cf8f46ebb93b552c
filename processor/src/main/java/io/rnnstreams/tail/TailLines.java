package io.rnnstreams.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstreams.avro.LaggedOutput;
import io.rnnstreams.stream.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The lines {@link Tail} prints for one record.
 *
 * <p>JSON lines (one object per line, for {@code jq} and programs). Every line has {@code kind}, {@code sensor}
 * (the record key, null if absent), {@code topic}, {@code partition}, {@code offset} and {@code timestamp} (the
 * record's, epoch milliseconds); then by kind:
 * <ul>
 *   <li>{@code "prediction"}: {@code prediction}, the prediction's JSON object
 *       ({@link io.rnnstreams.stream.PredictionJson}: the Avro field names, times in epoch milliseconds);</li>
 *   <li>{@code "dead-letter"}: {@code reason} and {@code detail} (the dead letter's headers), {@code source}
 *       ({@code topic}, {@code partition}, {@code offset} of the input record, when known) and
 *       {@code valueBytes} (the length of the value it carries);</li>
 *   <li>{@code "lagged"}: {@code lagged}, the lagged output ({@code rnn.smoothing.lag}): {@code eventTime} and
 *       {@code sequence} of the judged reading, {@code lag}, {@code smoothed}, {@code residual} (per channel),
 *       {@code laggedScore}, {@code score} (the lagged score), {@code dated} (the same, onset-dated),
 *       {@code anomaly} (the lagged alarm), {@code warmingUp};</li>
 *   <li>{@code "undecodable"}: a record of the predictions (or lagged) topic that is not a prediction in
 *       {@code rnn.format.output}, with {@code error} saying why.</li>
 * </ul>
 *
 * <p>Table rows: event time (UTC, ISO-8601; the record timestamp for dead letters), sensor, kind, then for a
 * prediction the next-step forecast per channel (with its interval when the prediction has one), the anomaly
 * score and the flags ({@code ANOMALY}, {@code warming-up}, {@code state-reset}); for a lagged output the judged
 * reading's smoothed value and residual per channel, its {@code laggedScore} and the flags ({@code ANOMALY}: the
 * lagged alarm, {@code warming-up}); for a dead letter its reason and detail.
 */
final class TailLines {
    static final String PREDICTION = "prediction";
    static final String DEAD_LETTER = "dead-letter";
    static final String UNDECODABLE = "undecodable";
    static final String LAGGED = "lagged";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ROW = "%-24s  %-16s  %-11s  %s";

    private TailLines() {
    }

    /** The JSON line of a predictions-topic record whose value decoded to {@code prediction}. */
    static ObjectNode prediction(ConsumerRecord<byte[], byte[]> r, ObjectNode prediction) {
        ObjectNode line = common(PREDICTION, r);
        line.set("prediction", prediction);
        return line;
    }

    /** The JSON line of a lagged-topic record. */
    static ObjectNode lagged(ConsumerRecord<byte[], byte[]> r, LaggedOutput o) {
        ObjectNode line = common(LAGGED, r);
        ObjectNode lagged = line.putObject("lagged");
        lagged.put("eventTime", o.getEventTime().toEpochMilli());
        lagged.put("sequence", o.getSequence());
        lagged.put("lag", o.getLag());
        o.getSmoothed().forEach(lagged.putArray("smoothed")::add);
        o.getResidual().forEach(lagged.putArray("residual")::add);
        lagged.put("laggedScore", o.getLaggedScore());
        lagged.put("score", o.getScore());
        lagged.put("dated", o.getDated());
        lagged.put("anomaly", o.getAnomaly());
        lagged.put("warmingUp", o.getWarmingUp());
        return line;
    }

    /** The JSON line of a predictions-topic record that did not decode. */
    static ObjectNode undecodable(ConsumerRecord<byte[], byte[]> r, Exception error) {
        ObjectNode line = common(UNDECODABLE, r);
        line.put("error", error.getMessage() == null ? error.toString() : error.getMessage());
        return line;
    }

    /** The JSON line of a dead-letter record. */
    static ObjectNode deadLetter(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode line = common(DEAD_LETTER, r);
        line.put("reason", header(r, DeadLetters.REASON));
        line.put("detail", header(r, DeadLetters.DETAIL));
        String sourceTopic = header(r, DeadLetters.SOURCE_TOPIC);
        if (sourceTopic != null) {
            ObjectNode source = line.putObject("source");
            source.put("topic", sourceTopic);
            source.put("partition", Integer.parseInt(header(r, DeadLetters.SOURCE_PARTITION)));
            source.put("offset", Long.parseLong(header(r, DeadLetters.SOURCE_OFFSET)));
        }
        line.put("valueBytes", r.value() == null ? 0 : r.value().length);
        return line;
    }

    /** The header line of the table. */
    static String tableHeader() {
        return String.format(Locale.ROOT, ROW, "TIME (UTC)", "SENSOR", "KIND", "DETAIL").stripTrailing();
    }

    /** One table row of a JSON line made by this class. */
    static String table(ObjectNode line) {
        String kind = line.path("kind").asText();
        String detail;
        long time;
        switch (kind) {
            case PREDICTION -> {
                JsonNode p = line.path("prediction");
                time = p.path("eventTime").asLong(line.path("timestamp").asLong());
                detail = predictionDetail(p);
            }
            case LAGGED -> {
                JsonNode l = line.path("lagged");
                time = l.path("eventTime").asLong(line.path("timestamp").asLong());
                detail = laggedDetail(l);
            }
            case DEAD_LETTER -> {
                time = line.path("timestamp").asLong();
                detail = line.path("reason").asText() + ": " + line.path("detail").asText();
            }
            default -> {
                time = line.path("timestamp").asLong();
                detail = line.path("error").asText();
            }
        }
        return String.format(Locale.ROOT, ROW, Instant.ofEpochMilli(time), line.path("sensor").asText("-"), kind,
                detail).stripTrailing();
    }

    private static String predictionDetail(JsonNode p) {
        JsonNode forecast = p.path("forecast");
        JsonNode names = p.path("channelNames");
        JsonNode lower = firstStep(p.path("intervalLower"));
        JsonNode upper = firstStep(p.path("intervalUpper"));
        List<String> channels = new ArrayList<>();
        for (int c = 0; c < forecast.size(); c++) {
            String name = names.has(c) ? names.get(c).asText() : "ch" + c;
            String value = number(forecast.get(c));
            if (lower.has(c) && upper.has(c)) {
                value += " [" + number(lower.get(c)) + ", " + number(upper.get(c)) + "]";
            }
            channels.add(name + "=" + value);
        }
        StringBuilder sb = new StringBuilder(String.join(" ", channels));
        sb.append(String.format(Locale.ROOT, "  score %.4f", p.path("anomalyScore").asDouble()));
        if (p.path("anomaly").asBoolean()) {
            sb.append("  ANOMALY");
        }
        if (p.path("warmingUp").asBoolean()) {
            sb.append("  warming-up");
        }
        if (p.path("stateReset").asBoolean()) {
            sb.append("  state-reset");
        }
        return sb.toString();
    }

    private static String laggedDetail(JsonNode l) {
        JsonNode smoothed = l.path("smoothed");
        List<String> channels = new ArrayList<>();
        for (int c = 0; c < smoothed.size(); c++) {
            channels.add("ch" + c + "=" + number(smoothed.get(c)) + " (residual " + number(l.path("residual").get(c))
                    + ")");
        }
        StringBuilder sb = new StringBuilder("reading #" + l.path("sequence").asLong() + ", " + l.path("lag").asInt()
                + " late: smoothed " + String.join(" ", channels));
        sb.append(String.format(Locale.ROOT, "  lagged score %.4f", l.path("laggedScore").asDouble()));
        if (l.path("anomaly").asBoolean()) {
            sb.append("  ANOMALY");
        }
        if (l.path("warmingUp").asBoolean()) {
            sb.append("  warming-up");
        }
        return sb.toString();
    }

    /** The first step of a per-step, per-channel array ({@code [[...], ...]}), or the array itself if flat. */
    private static JsonNode firstStep(JsonNode stepsOrChannels) {
        JsonNode first = stepsOrChannels.path(0);
        return first.isArray() ? first : stepsOrChannels;
    }

    private static String number(JsonNode n) {
        return n == null || n.isNull() ? "null" : String.format(Locale.ROOT, "%.6g", n.asDouble())
                .replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }

    private static ObjectNode common(String kind, ConsumerRecord<byte[], byte[]> r) {
        ObjectNode line = NODES.objectNode();
        line.put("kind", kind);
        line.put("sensor", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
        line.put("topic", r.topic());
        line.put("partition", r.partition());
        line.put("offset", r.offset());
        line.put("timestamp", r.timestamp());
        return line;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
