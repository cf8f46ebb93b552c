package io.rnnstreams.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead letter, the one place they are built. A dead letter carries the original key and
 * value bytes unchanged; its headers say why and where it came from:
 * {@code reason} (a {@link DeadLetterReason} name), {@code detail} (human-readable),
 * {@code source.topic}, {@code source.partition}, {@code source.offset}.
 */
public final class DeadLetters {
    public static final String REASON = "reason";
    public static final String DETAIL = "detail";
    public static final String SOURCE_TOPIC = "source.topic";
    public static final String SOURCE_PARTITION = "source.partition";
    public static final String SOURCE_OFFSET = "source.offset";

    private DeadLetters() {
    }

    public static Headers headers(DeadLetterReason reason, String detail, String topic, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, bytes(reason.name()));
        headers.add(DETAIL, bytes(detail));
        if (topic != null) {
            headers.add(SOURCE_TOPIC, bytes(topic));
            headers.add(SOURCE_PARTITION, bytes(Integer.toString(partition)));
            headers.add(SOURCE_OFFSET, bytes(Long.toString(offset)));
        }
        return headers;
    }

    /** The reason header of a dead letter, or null if there is none. */
    public static DeadLetterReason reason(Headers headers) {
        var header = headers.lastHeader(REASON);
        return header == null ? null : DeadLetterReason.valueOf(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
