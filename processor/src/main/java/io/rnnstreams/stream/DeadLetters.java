package io.rnnstreams.stream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The headers of a dead letter, the one place they are built. A dead letter carries the original key and
 * value bytes unchanged; its headers say why and where it came from:
 * {@code reason} (a {@link DeadLetterReason} name), {@code detail} (human-readable),
 * {@code source.topic}, {@code source.partition}, {@code source.offset}.
 *
 * <p>Size: a dead letter is its input record plus these headers, so an input record close to the size limit
 * (the broker's default {@code message.max.bytes} accepts a value of about 1 MiB) would make a dead letter that
 * the producer refuses ({@code RecordTooLargeException}), which would stop the application and, after a restart,
 * stop it again on the same record. {@link #fit} prevents that: a dead letter that would exceed the producer's
 * {@code max.request.size} keeps only the first bytes of its value that fit, and says so in two more headers,
 * {@code value.truncated} (the original value's length in bytes) and {@code value.sha256} (the SHA-256 of the
 * whole original value, lower-case hex). Every dead letter that fits carries its original bytes unchanged.
 */
public final class DeadLetters {
    public static final String REASON = "reason";
    public static final String DETAIL = "detail";
    public static final String SOURCE_TOPIC = "source.topic";
    public static final String SOURCE_PARTITION = "source.partition";
    public static final String SOURCE_OFFSET = "source.offset";
    /** Only on a dead letter whose value was cut to fit: the original value's length in bytes. */
    public static final String VALUE_TRUNCATED = "value.truncated";
    /** Only on a dead letter whose value was cut to fit: SHA-256 of the whole original value, lower-case hex. */
    public static final String VALUE_SHA256 = "value.sha256";
    /** Only on a dead letter whose key was cut: the original key's length in UTF-8 bytes. */
    public static final String KEY_TRUNCATED = "key.truncated";
    /** Only on a dead letter whose key was cut: SHA-256 of the whole original key's UTF-8 bytes, lower-case hex. */
    public static final String KEY_SHA256 = "key.sha256";
    /** Kafka's default {@code max.request.size}. */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
    /**
     * Bytes besides key, value and headers that one record may take in a produce request, rounded up: the
     * record batch header (61 bytes) and a record's framing (at most 36 bytes of varints and attributes).
     */
    static final int RECORD_OVERHEAD = 128;
    /** Framing bytes per header besides its key and value (two length varints), rounded up. */
    static final int HEADER_OVERHEAD = 10;

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

    /**
     * The value to send with a dead letter so that it fits into one produce request of {@code maxRequestSize}
     * bytes: {@code value} itself when key, value and headers fit (the usual case), else its first bytes that
     * fit, after adding {@link #VALUE_TRUNCATED} and {@link #VALUE_SHA256} to {@code headers}.
     *
     * @param key     the dead letter's key bytes, or null
     * @param value   the original value bytes, or null (returned as is)
     * @param headers the dead letter's headers; modified only when the value is cut
     */
    public static byte[] fit(byte[] key, byte[] value, Headers headers, int maxRequestSize) {
        if (value == null || sizeUpperBound(key, value.length, headers) <= maxRequestSize) {
            return value;
        }
        headers.add(VALUE_TRUNCATED, bytes(Integer.toString(value.length)));
        headers.add(VALUE_SHA256, bytes(sha256(value)));
        long room = maxRequestSize - sizeUpperBound(key, 0, headers);
        return Arrays.copyOf(value, (int) Math.max(0, Math.min(value.length, room)));
    }

    /**
     * {@code key} cut to its longest prefix of at most {@code maxBytes} UTF-8 bytes (whole characters), after
     * adding {@link #KEY_TRUNCATED} and {@link #KEY_SHA256} to {@code headers}; {@code key} itself if it fits.
     */
    public static String cutKey(String key, int maxBytes, Headers headers) {
        byte[] whole = bytes(key);
        if (whole.length <= maxBytes) {
            return key;
        }
        headers.add(KEY_TRUNCATED, bytes(Integer.toString(whole.length)));
        headers.add(KEY_SHA256, bytes(sha256(whole)));
        int end = 0;
        int size = 0;
        while (end < key.length()) {
            int cp = key.codePointAt(end);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (size + n > maxBytes) {
                break;
            }
            size += n;
            end += Character.charCount(cp);
        }
        return key.substring(0, end);
    }

    /** An upper bound of the bytes a record takes in a produce request (uncompressed), as the producer checks it. */
    static long sizeUpperBound(byte[] key, int valueLength, Headers headers) {
        long size = RECORD_OVERHEAD + (key == null ? 0 : key.length) + valueLength;
        for (Header h : headers) {
            size += HEADER_OVERHEAD + h.key().getBytes(StandardCharsets.UTF_8).length
                    + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    /**
     * The {@code max.request.size} of the producer Kafka Streams writes dead letters with, from the
     * application's configuration ({@code producer.max.request.size} over {@code max.request.size}, else
     * Kafka's default 1 MiB).
     */
    public static int maxRequestSize(Map<String, ?> streamsConfig) {
        Object value = streamsConfig.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (value == null) {
            value = streamsConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        return value == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(value.toString().trim());
    }

    /** SHA-256 of {@code bytes}, lower-case hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
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
