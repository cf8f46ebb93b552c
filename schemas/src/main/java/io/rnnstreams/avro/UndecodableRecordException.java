package io.rnnstreams.avro;

/**
 * Thrown by {@link SingleObjectCodec#decode} when the bytes are not a complete, valid Avro
 * single-object message of a schema the codec knows. The message says why; {@link #reason()} says
 * it in a machine-readable form (for dead-letter headers, metrics).
 */
public final class UndecodableRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a message could not be decoded. */
    public enum Reason {
        /** Shorter than the 10-byte header, or not starting with the single-object magic {@code C3 01}. */
        BAD_HEADER,
        /** The header names a writer-schema fingerprint that was never registered with the codec. */
        UNKNOWN_SCHEMA,
        /** The body ends before the record it starts is complete. */
        TRUNCATED,
        /** The body is not a valid encoding of the writer schema (e.g. a bad union index or length). */
        MALFORMED,
        /** A complete record is followed by extra bytes. */
        TRAILING_BYTES
    }

    private final Reason reason;

    public UndecodableRecordException(Reason reason, String message) {
        this(reason, message, null);
    }

    public UndecodableRecordException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    /** The machine-readable reason; the exception message gives the details. */
    public Reason reason() {
        return reason;
    }
}
