package io.rnnstreams.avro;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs {@code float[]} into Avro {@code bytes} fields and back: 4 bytes per value, little-endian, in array
 * order, the exact bit pattern of every value kept ({@link Float#floatToRawIntBits}). The float counterpart of
 * {@link PackedDoubles}, for state kept in float to halve its bytes. The {@link ByteBuffer} method reads the
 * bytes between the buffer's position and limit and never changes the buffer. Stateless and thread-safe.
 */
public final class PackedFloats {
    private static final VarHandle INT_LE_ARRAY =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE_BUFFER =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private PackedFloats() {
    }

    /** A heap buffer (position 0) of {@code 4 * values.length} bytes holding {@code values} little-endian. */
    public static ByteBuffer wrap(float[] values) {
        byte[] bytes = new byte[Math.multiplyExact(values.length, Float.BYTES)];
        for (int i = 0; i < values.length; i++) {
            INT_LE_ARRAY.set(bytes, i * Float.BYTES, Float.floatToRawIntBits(values[i]));
        }
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
        int base = packed.position();
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat((int) INT_LE_BUFFER.get(packed, base + i * Float.BYTES));
        }
        return values;
    }
}
