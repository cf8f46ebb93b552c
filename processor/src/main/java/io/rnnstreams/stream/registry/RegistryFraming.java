package io.rnnstreams.stream.registry;

import io.rnnstreams.avro.UndecodableRecordException;
import io.rnnstreams.avro.UndecodableRecordException.Reason;

/**
 * The 5-byte header of the schema-registry wire format: {@value #MAGIC_BYTE} (one byte), then the schema id
 * as a 4-byte big-endian integer; the Avro binary body follows.
 */
public final class RegistryFraming {
    /** The first byte of every message in this format. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte and schema id. */
    public static final int HEADER_LENGTH = 5;

    private RegistryFraming() {
    }

    /**
     * The schema id in the header of {@code message}.
     *
     * @throws UndecodableRecordException (reason BAD_HEADER) if {@code message} is shorter than the header
     *                                    or does not start with the magic byte
     */
    public static int schemaId(byte[] message) {
        if (message.length < HEADER_LENGTH) {
            throw new UndecodableRecordException(Reason.BAD_HEADER, "a schema-registry message has a "
                    + HEADER_LENGTH + "-byte header (magic byte 0, 4-byte schema id), got only " + message.length
                    + " bytes");
        }
        if (message[0] != MAGIC_BYTE) {
            throw new UndecodableRecordException(Reason.BAD_HEADER, String.format(
                    "not a schema-registry message: starts with 0x%02X, expected the magic byte 0x00%s", message[0],
                    message[0] == (byte) 0xC3 ? " (0xC3 0x01 starts Avro's single-object encoding)" : ""));
        }
        return ((message[1] & 0xFF) << 24) | ((message[2] & 0xFF) << 16) | ((message[3] & 0xFF) << 8)
                | (message[4] & 0xFF);
    }
}
