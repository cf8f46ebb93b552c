package io.rnnstreams.stream.registry;

/**
 * The schema registry could not be asked (connection refused, a time-out, an HTTP error other than "not
 * found"). Unlike {@link io.rnnstreams.avro.UndecodableRecordException} this says nothing about the
 * record: it must not be dead-lettered, the work has to stop or be retried.
 */
public final class RegistryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
