package io.rnnstreams.avro;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Packs {@code float[]} into Avro {@code bytes} fields and back: 4 bytes per value, little-endian, in array
 * order, the exact bit pattern of every value kept ({@link Float#floatToRawIntBits}). The float counterpart of
 * {@link PackedDoubles}, for state kept in float to halve its bytes. The {@link ByteBuffer} method reads the
 * bytes between the buffer's position and limit and never changes the buffer. Stateless and thread-safe.
 */
public final class PackedFloats {
    private PackedFloats() {
    }

    /** A heap buffer (position 0) of {@code 4 * values.length} bytes holding {@code values} little-endian. */
    public static ByteBuffer wrap(float[] values) {
        return wrap(FloatBuffer.wrap(values));
    }

    /**
     * A heap buffer (position 0) holding the remaining values of {@code values} little-endian; its position is not
     * changed. Lets an owner pack a read-only view of its numbers without copying them first.
     */
    public static ByteBuffer wrap(FloatBuffer values) {
        byte[] bytes = new byte[Math.multiplyExact(values.remaining(), Float.BYTES)];
        // one bulk copy of the raw bits (no NaN is canonicalised), not a call per number
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values.duplicate());
        return ByteBuffer.wrap(bytes);
    }

    /**
     * The floats packed in the buffer's remaining bytes.
     *
     * @throws IllegalArgumentException if the number of remaining bytes is not a multiple of 4
     */
    public static float[] unpack(ByteBuffer packed) {
        int bytes = packed.remaining();
        if (bytes % Float.BYTES != 0) {
            throw new IllegalArgumentException("packed floats must be a multiple of 4 bytes long, got " + bytes
                    + " bytes");
        }
        float[] values = new float[bytes / Float.BYTES];
        packed.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
