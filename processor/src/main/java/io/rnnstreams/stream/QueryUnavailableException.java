package io.rnnstreams.stream;

/**
 * A query that cannot be answered now but may be soon: Kafka Streams is rebalancing, a store is being
 * restored or migrated, or the instance is not running. Callers should retry later.
 */
public final class QueryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public QueryUnavailableException(String message) {
        super(message);
    }
}
