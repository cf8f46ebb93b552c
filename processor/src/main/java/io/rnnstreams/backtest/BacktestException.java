package io.rnnstreams.backtest;

/** A backtest that could not run to the end: Kafka Streams failed, an Admin call failed, a topic is missing. */
public final class BacktestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BacktestException(String message, Throwable cause) {
        super(message, cause);
    }
}
