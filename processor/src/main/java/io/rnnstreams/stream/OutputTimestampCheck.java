package io.rnnstreams.stream;

import io.rnnstreams.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check that the output topics accept every timestamp the application can write. Predictions and dead
 * letters are stamped with the reading's event time, which {@code rnn.time.max-ahead} lets run that far ahead of
 * the wall clock; a topic whose {@code message.timestamp.after.max.ms} is smaller refuses such a record, and under
 * exactly-once a refused record fails the whole transaction: the application stops, and stops again at every
 * restart on the same reading (issue 12, item 2). Topics with {@code message.timestamp.type=LogAppendTime} are
 * restamped by the broker and never refuse.
 *
 * <p>Topics that do not exist yet are not checked (the broker default applies when they are created; the
 * application does not create its output topics). A broker that does not answer, or a principal not allowed to
 * describe topic configurations, is logged and not waited for.
 */
public final class OutputTimestampCheck {
    private static final Logger log = LoggerFactory.getLogger(OutputTimestampCheck.class);

    private OutputTimestampCheck() {
    }

    /**
     * Refuses (a {@link ConfigException}: exit code 2) a {@code maxAhead} that one of {@code topics} would refuse.
     *
     * @param adminProps client properties (bootstrap and security; the admin client takes what applies to it)
     * @param topics     the output topics (predictions, dead letters)
     * @param maxAhead   {@code rnn.time.max-ahead}
     * @param timeout    how long to wait for the broker's answer
     */
    public static void verify(Properties adminProps, Collection<String> topics, Duration maxAhead, Duration timeout)
            throws InterruptedException {
        Map<String, Object> admin = AdminClientConfig.configNames().stream()
                .filter(adminProps::containsKey)
                .collect(Collectors.toMap(k -> k, adminProps::get));
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Map<String, Config> configs;
        try (Admin client = Admin.create(admin)) {
            Set<String> existing = client.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<ConfigResource> resources = topics.stream().distinct().filter(existing::contains)
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            configs = client.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .entrySet().stream().collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not read the output topics' timestamp limits ({}); not checked against "
                    + "rnn.time.max-ahead={}", e.getCause() == null ? e : e.getCause(), maxAhead);
            return;
        }
        List<String> refusals = refusals(configs, maxAhead);
        if (!refusals.isEmpty()) {
            throw new ConfigException(String.join("; ", refusals) + ". Predictions and dead letters are stamped with "
                    + "the reading's event time, which rnn.time.max-ahead lets run " + maxAhead + " ahead of the wall "
                    + "clock, and a refused record stops the application under exactly-once. Lower rnn.time.max-ahead "
                    + "below that limit, or raise it: kafka-configs.sh --bootstrap-server ... --alter --entity-type "
                    + "topics --entity-name TOPIC --add-config message.timestamp.after.max.ms=MS");
        }
    }

    /**
     * @param configs  per topic, its configuration as the broker describes it (defaults included)
     * @param maxAhead {@code rnn.time.max-ahead}
     * @return one sentence per topic that would refuse a timestamp {@code maxAhead} ahead of the wall clock
     */
    static List<String> refusals(Map<String, Config> configs, Duration maxAhead) {
        List<String> refusals = new ArrayList<>();
        configs.forEach((topic, config) -> {
            ConfigEntry type = config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
            ConfigEntry after = config.get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG);
            if (type != null && "LogAppendTime".equals(type.value()) || after == null || after.value() == null) {
                return;
            }
            long limit = Long.parseLong(after.value());
            if (limit < maxAhead.toMillis()) {
                refusals.add("topic " + topic + " refuses timestamps more than " + limit + " ms ahead ("
                        + TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG + "), less than rnn.time.max-ahead="
                        + maxAhead + " (" + maxAhead.toMillis() + " ms)");
            }
        });
        return refusals;
    }
}
