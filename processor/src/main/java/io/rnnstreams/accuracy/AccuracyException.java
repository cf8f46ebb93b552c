package io.rnnstreams.accuracy;

/** The accuracy command cannot run: missing or malformed input. The message says what to do. */
public final class AccuracyException extends Exception {
    public AccuracyException(String message) {
        super(message);
    }
}
