package io.rnnstreams.tail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstreams.avro.LaggedOutput;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.stream.StateCodec;
import io.rnnstreams.config.ValueFormats;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints the predictions, dead letters and (with {@link TailOptions#laggedTopic}) lagged outputs of a running (or
 * finished) application: {@code rnn-streams tail}.
 *
 * <p>A {@code read_committed} consumer that joins no group (nothing is committed, so any number of tails can
 * run) is assigned every partition of the two topics and starts at their beginning or end
 * ({@link TailOptions#fromStart}). Without {@link TailOptions#follow} it stops once it has read up to the end
 * offsets seen at the start; with it, when {@link #stop()} is called (e.g. from a shutdown hook on Ctrl-C), after
 * which {@link #run} returns normally. Records of other sensors than {@link TailOptions#sensors} are skipped;
 * the lines are those of {@link TailLines}, flushed after every poll.
 */
public final class Tail {
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration METADATA = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Lagged outputs are single-object Avro whatever {@code rnn.format.output} is. */
    private static final SingleObjectCodec<LaggedOutput> LAGGED = StateCodec.laggedCodec();

    private final Map<String, Object> consumerConfig;
    private final ValueFormats formats;
    private final TailOptions options;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean stopped;

    /**
     * @param consumerConfig Kafka client settings (bootstrap servers, security); group, offsets and isolation
     *                       level are set here
     * @param formats        the configuration's formats: {@code output} says how predictions are written
     */
    public Tail(Map<String, Object> consumerConfig, ValueFormats formats, TailOptions options) {
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.formats = formats;
        this.options = options;
    }

    /**
     * Prints records to {@code out} until the end (or until {@link #stop()} when following); warnings (a missing
     * dead-letter topic) go to {@code err}.
     *
     * @return the number of records printed
     * @throws IllegalStateException if the predictions topic does not exist
     * @throws org.apache.kafka.common.KafkaException if Kafka fails (e.g. {@code TimeoutException})
     */
    public long run(PrintWriter out, PrintWriter err) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()); PredictionDecoder decoder = new PredictionDecoder(formats)) {
            consumer = c;
            if (stopped) {
                return 0;
            }
            List<TopicPartition> partitions = new ArrayList<>(partitions(c, options.predictionsTopic()));
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic '" + options.predictionsTopic() + "' does not exist (or this "
                        + "client may not describe it)");
            }
            if (options.deadLetterTopic() != null) {
                List<TopicPartition> dead = partitions(c, options.deadLetterTopic());
                if (dead.isEmpty()) {
                    err.println("rnn-streams: warning: dead-letter topic '" + options.deadLetterTopic()
                            + "' does not exist: printing predictions only");
                }
                partitions.addAll(dead);
            }
            if (options.laggedTopic() != null) {
                List<TopicPartition> lagged = partitions(c, options.laggedTopic());
                if (lagged.isEmpty()) {
                    err.println("rnn-streams: warning: lagged topic '" + options.laggedTopic()
                            + "' does not exist: printing no lagged outputs");
                }
                partitions.addAll(lagged);
            }
            c.assign(partitions);
            if (options.fromStart()) {
                c.seekToBeginning(partitions);
            } else {
                c.seekToEnd(partitions);
            }
            Map<TopicPartition, Long> end = options.follow() ? Map.of() : c.endOffsets(partitions, METADATA);
            if (options.output() == TailOptions.Output.TABLE) {
                out.println(TailLines.tableHeader());
            }
            while (!stopped && (options.follow() || !atEnd(c, end))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    if (!options.follow() && r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))
                            || !options.accepts(key)) {
                        continue;
                    }
                    print(out, line(r, decoder));
                    printed++;
                    if (printed == options.maxRecords()) {
                        out.flush();
                        return printed;
                    }
                }
                out.flush();
            }
        } catch (WakeupException e) {
            // stop() was called while polling: a normal end
        } finally {
            consumer = null;
            out.flush();
        }
        return printed;
    }

    /** Makes {@link #run} return soon; thread-safe, for a shutdown hook. */
    public void stop() {
        stopped = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private ObjectNode line(ConsumerRecord<byte[], byte[]> r, PredictionDecoder decoder) {
        if (r.topic().equals(options.laggedTopic())) {
            try {
                return TailLines.lagged(r, LAGGED.decode(r.value()));
            } catch (RuntimeException e) {
                return TailLines.undecodable(r, e);
            }
        }
        if (!r.topic().equals(options.predictionsTopic())) {
            return TailLines.deadLetter(r);
        }
        if (r.value() == null) {
            return TailLines.undecodable(r, new IllegalArgumentException("a null value (tombstone)"));
        }
        try {
            return TailLines.prediction(r, decoder.decode(r.topic(), r.value()));
        } catch (RuntimeException e) {
            return TailLines.undecodable(r, e);
        }
    }

    private void print(PrintWriter out, ObjectNode line) {
        if (options.output() == TailOptions.Output.TABLE) {
            out.println(TailLines.table(line));
            return;
        }
        try {
            out.println(MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // cannot happen: a tree of plain nodes
        }
    }

    private static boolean atEnd(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey(), METADATA) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, METADATA);
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : infos == null ? List.<PartitionInfo>of() : infos) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        return partitions;
    }
}
