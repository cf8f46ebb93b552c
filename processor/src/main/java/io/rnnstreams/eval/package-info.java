/**
 * Kafka-free evaluation and classical online forecasters: the per-sensor baselines the learner is judged
 * against and combined with (persistence, seasonal persistence, Holt-Winters with online parameter choice,
 * the combination of forecasters by recent errors). May import {@code io.rnnstreams.model} and the JDK only.
 */
package io.rnnstreams.eval;
