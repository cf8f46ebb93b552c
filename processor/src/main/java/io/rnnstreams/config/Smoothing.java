package io.rnnstreams.config;

/**
 * The stream's fixed-lag smoothing ({@code rnn.smoothing.lag}, {@code rnn.topic.lagged}): for every reading of a key,
 * once {@code lag} later readings of it arrived, the bidirectional smoother's smoothed value and lagged anomaly score
 * go to {@code laggedTopic} ({@link io.rnnstreams.learner.KeyedSmoother}).
 *
 * @param lag         {@code L}: 0 = off (the default), else in {@code [1, }{@value #MAX_LAG}{@code ]}
 * @param laggedTopic where the {@code LaggedOutput} records go (unused when off)
 */
public record Smoothing(int lag, String laggedTopic) {
    /**
     * The largest {@code rnn.smoothing.lag}: every reading costs {@code L} backward steps and every training
     * {@code k2} backward chains of {@code L} steps (docs/engine.md: 26 µs and 98 µs per reading at L = 10).
     */
    public static final int MAX_LAG = 100;

    /** Smoothing off. */
    public static final Smoothing OFF = new Smoothing(0, null);

    public Smoothing {
        if (lag < 0 || lag > MAX_LAG) {
            throw new IllegalArgumentException("rnn.smoothing.lag must be in [0, " + MAX_LAG + "] (0 = off), got "
                    + lag);
        }
        if (lag > 0 && (laggedTopic == null || !laggedTopic.matches("[a-zA-Z0-9._-]{1,249}"))) {
            throw new IllegalArgumentException("rnn.topic.lagged must be a Kafka topic name ([a-zA-Z0-9._-], 1..249 "
                    + "chars), got '" + laggedTopic + "'");
        }
    }

    /** Whether smoothing is on ({@code lag > 0}). */
    public boolean on() {
        return lag > 0;
    }

    /** The default lagged topic of a predictions topic: {@code <predictions>-lagged}. */
    public static String defaultTopic(String predictionsTopic) {
        return predictionsTopic + "-lagged";
    }
}
