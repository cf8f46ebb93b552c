package io.rnnstreams.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * Whether every stream thread of a RUNNING {@link KafkaStreams} is alive and making progress. Kafka Streams
 * stays RUNNING while a stream thread is stuck (a punctuator that never returns, a record that takes minutes)
 * or after one died with others left, so {@code /health} needs more than its state: a thread that is not
 * RUNNING (or STARTING, PARTITIONS_REVOKED, PARTITIONS_ASSIGNED), or whose main consumer has not polled for
 * longer than {@code max.poll.interval.ms} (the time after which the broker drops it from the group, read from
 * the consumer's {@code last-poll-seconds-ago} metric), is a problem.
 */
public final class StreamThreadLiveness {
    private final KafkaStreams streams;
    private final Duration maxSilence;

    /** @param maxSilence the longest time a stream thread may go without polling: {@code max.poll.interval.ms} */
    public StreamThreadLiveness(KafkaStreams streams, Duration maxSilence) {
        this.streams = streams;
        this.maxSilence = maxSilence;
    }

    /** What is wrong with the stream threads, or an empty list when every one is alive and polling. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        Set<String> consumers = new HashSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            String state = thread.threadState();
            if (state.equals("DEAD") || state.equals("PENDING_SHUTDOWN")) {
                problems.add("stream thread " + thread.threadName() + " is " + state);
            }
            consumers.add(thread.consumerClientId());
        }
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName name = e.getKey();
            String client = name.tags().getOrDefault("client-id", "");
            if (name.name().equals("last-poll-seconds-ago") && name.group().equals("consumer-metrics")
                    && consumers.contains(client)) {
                double seconds = ((Number) e.getValue().metricValue()).doubleValue();
                if (seconds > maxSilence.toSeconds()) {
                    problems.add("stream thread consumer " + client + " has not polled for " + (long) seconds
                            + " s, more than max.poll.interval.ms (" + maxSilence.toSeconds() + " s)");
                }
            }
        }
        return problems;
    }
}
