package io.rnnstreams.replay;

/**
 * A replay that could not be done or not finished: an input file that cannot be read at all (exit code 2), or
 * a failure while reading or sending (exit code 1). Bad rows are not exceptions: they are counted in the
 * {@link ReplaySummary}.
 */
public final class ReplayException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** An input file is missing, unreadable or not in a replayable layout; nothing was sent from it. */
        INPUT(2),
        /** Reading a file failed part way (an I/O error). */
        READ(1),
        /** Kafka refused or failed a record, or the topic could not be reached. */
        SEND(1);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    private final Kind kind;
    private final transient ReplaySummary partial;

    ReplayException(Kind kind, String message, Throwable cause, ReplaySummary partial) {
        super(message, cause);
        this.kind = kind;
        this.partial = partial;
    }

    static ReplayException input(String message) {
        return new ReplayException(Kind.INPUT, message, null, null);
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    /** The process exit code for it: 2 for {@link Kind#INPUT}, else 1. */
    public int exitCode() {
        return kind.exitCode;
    }

    /** What had been done when it failed; null when it failed before anything was sent. */
    public ReplaySummary partialSummary() {
        return partial;
    }
}
