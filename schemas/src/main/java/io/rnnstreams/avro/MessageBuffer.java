package io.rnnstreams.avro;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * The growable byte sink one thread encodes its messages into ({@link SingleObjectCodec#encode}): unlike
 * {@link java.io.ByteArrayOutputStream} it is not synchronized and keeps its array across messages, so a message of a
 * size seen before costs no allocation but its exactly sized copy ({@link #toByteArray}). An array that grew beyond
 * {@value #KEPT_CAPACITY} bytes for one large message (a model state) is dropped at the next {@link #reset}, so a
 * thread does not hold it for good.
 *
 * <p>Not thread-safe: one instance per thread.
 */
final class MessageBuffer extends OutputStream {
    /** Capacity allocated first: a prediction or a key state fits. */
    static final int INITIAL_CAPACITY = 4 * 1024;
    /** Largest array kept between messages. */
    static final int KEPT_CAPACITY = 1024 * 1024;

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int count;

    /** Empties the buffer (shrinking it back to {@link #INITIAL_CAPACITY} if it outgrew {@link #KEPT_CAPACITY}). */
    void reset() {
        if (bytes.length > KEPT_CAPACITY) {
            bytes = new byte[INITIAL_CAPACITY];
        }
        count = 0;
    }

    /** Bytes written since the last {@link #reset}. */
    int size() {
        return count;
    }

    /** A new array of exactly the bytes written since the last {@link #reset}. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, count);
    }

    @Override
    public void write(int b) {
        ensureCapacity(count + 1);
        bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensureCapacity(count + len);
        System.arraycopy(b, off, bytes, count, len);
        count += len;
    }

    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            if (needed < 0) {
                throw new OutOfMemoryError("a message beyond 2 GB");
            }
            bytes = Arrays.copyOf(bytes, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, 2L * bytes.length)));
        }
    }
}
