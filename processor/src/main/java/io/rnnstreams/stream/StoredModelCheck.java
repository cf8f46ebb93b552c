package io.rnnstreams.stream;

import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.learner.ModelIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check of the model configuration against the models an application already stored: reads the
 * last model record of each partition of the model changelog once, before Kafka Streams starts, and refuses
 * (a {@link ConfigException}: exit 2) settings those models cannot continue under, naming the changed
 * settings and the reset procedure. Without it a change was found only at the first reading of a key with a
 * stored model, after other keys had trained and committed under the new settings, so that neither the old
 * nor the new settings could run any more. Changes a stored model continues under (the learning rate, see
 * {@link ModelIdentity#TUNABLE}) are logged.
 *
 * <p>Only the last record of each partition is read (a model record is written under the settings of the
 * instance that wrote it, and every start goes through this check, so the latest one speaks for the
 * partition). The consumer never creates the topic (a first start finds none) and reads committed data only.
 * A broker that does not answer within the timeout is logged and not waited for: each model is checked
 * again when it is read ({@link StateCodec#model}).
 */
public final class StoredModelCheck {
    private static final Logger log = LoggerFactory.getLogger(StoredModelCheck.class);
    /** Model records read back from the end of each partition at a time, to skip deletions. */
    private static final int STEP_BACK = 16;
    /** {@link ModelIdentity}'s names of settings, as the configuration names them. */
    private static final Map<String, String> SETTING_NAMES = Map.ofEntries(
            Map.entry("cell", "rnn.model.cell"), Map.entry("activation", "rnn.model.activation"),
            Map.entry("hidden", "rnn.model.hidden"), Map.entry("channels", "rnn.model.channels"),
            Map.entry("residual", "rnn.model.residual"), Map.entry("normalise", "rnn.train.normalise"),
            Map.entry("optimizer", "rnn.train.optimizer"), Map.entry("k2", "rnn.train.k2"),
            Map.entry("scope", "rnn.model.scope"), Map.entry("learning-rate", "rnn.train.learning-rate"),
            Map.entry("momentum", "rnn.train.momentum"), Map.entry("beta1", "rnn.train.beta1"),
            Map.entry("beta2", "rnn.train.beta2"), Map.entry("epsilon", "rnn.train.epsilon"),
            Map.entry("clip-norm", "rnn.train.clip-norm"), Map.entry("clip-value", "rnn.train.clip-value"),
            Map.entry("k1", "rnn.train.k1"), Map.entry("seed", "rnn.model.seed"),
            Map.entry("architecture", "the architecture (rnn.forecast.mode, rnn.forecast.horizon, "
                    + "rnn.forecast.period, rnn.smoothing.lag)"));

    private StoredModelCheck() {
    }

    /**
     * Refuses {@code identity} if the models stored by {@code applicationId} cannot continue under it.
     *
     * @param clientProps Kafka client settings (bootstrap servers, security)
     * @throws ConfigException naming the changed settings and the reset procedure
     */
    public static void verify(Properties clientProps, String applicationId, ModelIdentity identity,
                              Duration timeout) {
        verify(clientProps, applicationId, ForecastTopology.MODEL_STORE, identity, timeout);
    }

    /**
     * As {@link #verify(Properties, String, ModelIdentity, Duration)}, for the models of the store {@code store}
     * (e.g. {@link ForecastTopology#SMOOTHER_MODEL_STORE}).
     */
    public static void verify(Properties clientProps, String applicationId, String store, ModelIdentity identity,
                              Duration timeout) {
        Set<String> stored;
        try {
            stored = fingerprints(clientProps, applicationId + "-" + store + "-changelog", timeout);
        } catch (KafkaException e) {
            log.warn("Could not read the stored model configuration of {} ({}); each stored model is checked when "
                    + "it is read", applicationId, e.toString());
            return;
        }
        List<String> required = new ArrayList<>();
        Set<String> tunable = new LinkedHashSet<>();
        for (String fingerprint : stored) {
            ModelIdentity.Difference d = identity.compare(fingerprint, true);
            d.required().stream().map(StoredModelCheck::named).filter(c -> !required.contains(c)).forEach(required::add);
            d.tunable().stream().map(StoredModelCheck::named).forEach(tunable::add);
        }
        if (!required.isEmpty()) {
            throw new ConfigException(refusal(required));
        }
        if (!tunable.isEmpty()) {
            log.info("Stored models continue under changed settings: {}", String.join(", ", tunable));
        }
    }

    /** The message of a refused change: the changed settings, then what to do. */
    static String refusal(List<String> changes) {
        return "the models stored under this application.id were trained under settings they cannot continue "
                + "under: " + String.join(", ", changes.stream().map(StoredModelCheck::named).toList())
                + ". Either start with the old values, or use a new application.id, or reset this one (its "
                + "learned state is lost): stop every instance; run Kafka's StreamsResetter, "
                + "kafka-streams-application-reset.sh --bootstrap-server HOST:PORT --application-id ID "
                + "--input-topics TOPIC[,TOPIC...] --to-earliest (deletes the changelogs, rewinds the inputs); "
                + "delete each instance's state directory (state.dir/ID); start again. The learning rate and "
                + "the other rnn.train.* settings of the optimizer's step can change without a reset "
                + "(docs/deploy.md#changing-the-model-configuration). A deployment that ran on the defaults of "
                + "releases before rnn.learner=hybrid and rnn.model.scope=shared became the defaults continues with "
                + "rnn.learner=rnn and rnn.model.scope=key; one that ran the hybrid learner on the defaults "
                + "before its corrector became a GRU of 16 (an LSTM of 32) continues with rnn.model.cell=lstm and "
                + "rnn.model.hidden=32";
    }

    /** {@code "hidden 8 -> 16"} as {@code "rnn.model.hidden 8 -> 16"}; other text unchanged. */
    private static String named(String change) {
        int space = change.indexOf(' ');
        String name = space < 0 ? change : change.substring(0, space);
        String setting = SETTING_NAMES.get(name);
        return setting == null ? change : setting + change.substring(name.length());
    }

    /** The fingerprints of the last model record of each partition; empty when there is no changelog yet. */
    static Set<String> lastStoredFingerprints(Properties clientProps, String applicationId, Duration timeout) {
        return fingerprints(clientProps, ModelExport.changelogTopic(applicationId), timeout);
    }

    /** The fingerprints of the last model record of each partition of the changelog {@code topic}. */
    private static Set<String> fingerprints(Properties clientProps, String topic, Duration timeout) {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.keySet().removeIf(k -> !ConsumerConfig.configNames().contains(k.toString()));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, STEP_BACK);
        SingleObjectCodec<ModelState> codec = SingleObjectCodec.of(ModelState.class);
        Set<String> found = new LinkedHashSet<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.listTopics(timeout).get(topic);
            if (partitions == null) {
                return found;
            }
            for (PartitionInfo p : partitions) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                consumer.assign(List.of(tp));
                long begin = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
                long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
                String last = null;
                for (long from = Math.max(begin, end - STEP_BACK); last == null; from = Math.max(begin, from - STEP_BACK)) {
                    last = lastValue(consumer, codec, tp, from, Math.min(end, from + STEP_BACK), timeout);
                    if (from == begin) {
                        break;
                    }
                }
                if (last != null) {
                    found.add(last);
                }
            }
        }
        return found;
    }

    /** The fingerprint of the last model (not deletion) in [from, to), or null. */
    private static String lastValue(KafkaConsumer<String, byte[]> consumer, SingleObjectCodec<ModelState> codec,
                                    TopicPartition tp, long from, long to, Duration timeout) {
        consumer.seek(tp, from);
        String last = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(tp, timeout) < to) {
            if (System.nanoTime() > deadline) {
                throw new org.apache.kafka.common.errors.TimeoutException("reading " + tp + " took over " + timeout);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() < to && r.value() != null) {
                    last = codec.decode(r.value()).getConfigFingerprint();
                }
            }
        }
        return last;
    }
}
