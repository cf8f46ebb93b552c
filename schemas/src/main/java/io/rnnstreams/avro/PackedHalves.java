package io.rnnstreams.avro;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * Packs {@code short[]} (16-bit values: IEEE-754 binary16 bit patterns, the hybrid learner's halves) into Avro
 * {@code bytes} fields and back: 2 bytes per value, little-endian, in array order, every bit pattern kept. The
 * 16-bit counterpart of {@link PackedFloats}. The {@link ByteBuffer} method reads the bytes between the buffer's
 * position and limit and never changes the buffer. Stateless and thread-safe.
 */
public final class PackedHalves {
    private PackedHalves() {
    }

    /** A heap buffer (position 0) of {@code 2 * values.length} bytes holding {@code values} little-endian. */
    public static ByteBuffer wrap(short[] values) {
        return wrap(ShortBuffer.wrap(values));
    }

    /**
     * A heap buffer (position 0) holding the remaining values of {@code values} little-endian; its position is not
     * changed. Lets an owner pack a read-only view of its numbers without copying them first.
     */
    public static ByteBuffer wrap(ShortBuffer values) {
        byte[] bytes = new byte[Math.multiplyExact(values.remaining(), Short.BYTES)];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(values.duplicate()); // one bulk copy
        return ByteBuffer.wrap(bytes);
    }

    /**
     * The 16-bit values packed in the buffer's remaining bytes.
     *
     * @throws IllegalArgumentException if the number of remaining bytes is odd
     */
    public static short[] unpack(ByteBuffer packed) {
        int bytes = packed.remaining();
        if (bytes % Short.BYTES != 0) {
            throw new IllegalArgumentException("packed halves must be a multiple of 2 bytes long, got " + bytes
                    + " bytes");
        }
        short[] values = new short[bytes / Short.BYTES];
        packed.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(values);
        return values;
    }
}
