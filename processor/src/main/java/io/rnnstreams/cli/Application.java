package io.rnnstreams.cli;

import io.rnnstreams.config.AppConfig;

/**
 * What {@code rnn-streams run} starts once the configuration is valid. {@link Main#main} wires the Kafka
 * Streams application; tests pass their own.
 */
@FunctionalInterface
public interface Application {
    /**
     * Runs until done or stopped.
     *
     * @param config the validated configuration
     * @return the process exit code: 0 for a clean stop
     * @throws Exception on a failure, which makes the process exit with code 1 (or 2 for a
     *                   {@link io.rnnstreams.config.ConfigException})
     */
    int run(AppConfig config) throws Exception;
}
