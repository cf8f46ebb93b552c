package io.rnnstreams.avro;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs {@code short[]} (16-bit values: IEEE-754 binary16 bit patterns, the hybrid learner's halves) into Avro
 * {@code bytes} fields and back: 2 bytes per value, little-endian, in array order, every bit pattern kept. The
 * 16-bit counterpart of {@link PackedFloats}. The {@link ByteBuffer} method reads the bytes between the buffer's
 * position and limit and never changes the buffer. Stateless and thread-safe.
 */
public final class PackedHalves {
    private static final VarHandle SHORT_LE_ARRAY =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE_BUFFER =
            MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private PackedHalves() {
    }

    /** A heap buffer (position 0) of {@code 2 * values.length} bytes holding {@code values} little-endian. */
    public static ByteBuffer wrap(short[] values) {
        byte[] bytes = new byte[Math.multiplyExact(values.length, Short.BYTES)];
        for (int i = 0; i < values.length; i++) {
            SHORT_LE_ARRAY.set(bytes, i * Short.BYTES, values[i]);
        }
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
        int base = packed.position();
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) SHORT_LE_BUFFER.get(packed, base + i * Short.BYTES);
        }
        return values;
    }
}
