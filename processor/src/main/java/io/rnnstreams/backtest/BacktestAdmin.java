package io.rnnstreams.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Admin-client steps of a backtest: topics, offsets, waiting for the commits, cleaning up. Every call
 * before the clean-up waits at most until the backtest's deadline (and at most a minute); a call that
 * gets no answer in time fails with a {@link TimeoutException} saying what it waited for. Clean-up calls
 * wait up to {@value #CLEANUP_SECONDS} s each.
 */
final class BacktestAdmin implements AutoCloseable {
    private static final long MAX_CALL_MILLIS = 60_000;
    private static final long CLEANUP_SECONDS = 15;
    private static final Duration POLL = Duration.ofMillis(250);

    private final Admin admin;
    private final Instant deadline;
    private final String bootstrap;

    /**
     * @param adminConfig Admin client configuration
     * @param deadline    when the backtest gives up
     */
    BacktestAdmin(Map<String, Object> adminConfig, Instant deadline) {
        this.admin = Admin.create(adminConfig);
        this.deadline = deadline;
        this.bootstrap = String.valueOf(adminConfig.get("bootstrap.servers"));
    }

    /** The partitions of {@code topic}; a clear error when it does not exist. */
    List<TopicPartition> partitions(String topic) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            TopicDescription d = get(admin.describeTopics(List.of(topic)).allTopicNames(), "describing " + topic)
                    .get(topic);
            List<TopicPartition> tps = new ArrayList<>();
            d.partitions().forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
            return tps;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new BacktestException("topic " + topic + " does not exist", e.getCause());
            }
            throw e;
        }
    }

    /** Creates the topics that do not exist, with {@code partitions} partitions and the broker's replication. */
    void createIfMissing(List<String> topics, int partitions) throws InterruptedException, ExecutionException,
            TimeoutException {
        Set<String> existing = get(admin.listTopics().names(), "listing topics");
        List<NewTopic> missing = new ArrayList<>();
        for (String t : topics) {
            if (!existing.contains(t)) {
                // predictions carry their readings' (possibly years old) event times: no time-based deletion
                missing.add(new NewTopic(t, Optional.of(partitions), Optional.empty())
                        .configs(Map.of("retention.ms", "-1")));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try {
            get(admin.createTopics(missing).all(), "creating " + missing);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        awaitDescribable(missing.stream().map(NewTopic::name).toList());
    }

    /**
     * Waits until every one of {@code topics} can be described: a topic just created may be unknown to the broker
     * that answers next for a moment (its metadata not yet propagated), and {@link #partitions} would then report
     * it missing.
     *
     * @throws TimeoutException at the deadline, naming the topics still unknown
     */
    private void awaitDescribable(List<String> topics) throws InterruptedException, ExecutionException,
            TimeoutException {
        while (true) {
            try {
                get(admin.describeTopics(topics).allTopicNames(), "describing " + topics);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException("the topics " + topics + " were created but are still unknown to the "
                        + "broker " + bootstrap + "; raise --timeout or check the broker");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Earliest or latest ({@code read_committed}: the last stable) offset of each partition. */
    Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, boolean latest) throws InterruptedException,
            ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        partitions.forEach(tp -> spec.put(tp, latest ? OffsetSpec.latest() : OffsetSpec.earliest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        get(admin.listOffsets(spec, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(), "listing offsets")
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /**
     * Waits until group {@code groupId} has committed at least {@code required} on every partition.
     *
     * @param failure polled while waiting: a non-null throwable ends the wait with a {@link BacktestException}
     * @throws TimeoutException at the deadline, with the progress per partition
     */
    void awaitCommitted(String groupId, Map<TopicPartition, Long> required, Supplier<Throwable> failure)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, Long> committed = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        while (true) {
            Throwable failed = failure.get();
            if (failed != null) {
                throw new BacktestException("the backtest's Kafka Streams application failed: " + failed, failed);
            }
            Map<TopicPartition, OffsetAndMetadata> now = get(admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata(), "reading the committed offsets of " + groupId);
            boolean done = true;
            for (Map.Entry<TopicPartition, Long> e : required.entrySet()) {
                OffsetAndMetadata c = now.get(e.getKey());
                long offset = c == null ? 0 : c.offset();
                committed.put(e.getKey(), offset);
                done &= offset >= e.getValue();
            }
            if (done) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                StringBuilder progress = new StringBuilder();
                committed.forEach((tp, offset) -> progress.append(' ').append(tp).append(' ').append(offset)
                        .append('/').append(required.get(tp)));
                throw new TimeoutException("the backtest did not process the whole input in time: committed/needed"
                        + " offsets:" + progress + "; raise --timeout");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Deletes the consumer group and the internal topics ({@code <applicationId>-*}) of a finished backtest.
     *
     * @return what could not be deleted, empty when all went
     */
    List<String> deleteApplication(String applicationId) {
        List<String> problems = new ArrayList<>();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    admin.deleteConsumerGroups(List.of(applicationId)).all().get(CLEANUP_SECONDS, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupNotEmptyException) || attempt == 10) {
                        if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                            problems.add("consumer group " + applicationId + ": " + e.getCause());
                        }
                        break;
                    }
                }
                Thread.sleep(1000); // the member's leave-group request may still be under way
            }
            List<String> internal = admin.listTopics().names().get(CLEANUP_SECONDS, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(applicationId + "-")).sorted().toList();
            if (!internal.isEmpty()) {
                admin.deleteTopics(internal).all().get(CLEANUP_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            problems.add(applicationId + " and its internal topics " + applicationId + "-*: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted");
        }
        return problems;
    }

    /** The future's value, waiting until the deadline (at most a minute, at least a second). */
    private <T> T get(KafkaFuture<T> future, String what) throws InterruptedException, ExecutionException,
            TimeoutException {
        long millis = Math.max(1_000, Math.min(MAX_CALL_MILLIS, Duration.between(Instant.now(), deadline).toMillis()));
        try {
            return future.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("Kafka did not answer in " + millis + " ms while " + what
                    + " (bootstrap.servers=" + bootstrap + ")");
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(1)); // every call has returned or been given up on
    }
}
