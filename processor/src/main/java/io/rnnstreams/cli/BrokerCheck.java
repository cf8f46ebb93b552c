package io.rnnstreams.cli;

import io.rnnstreams.config.ConfigException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Before Kafka Streams starts: is the cluster at {@code bootstrap.servers} reachable? Kafka Streams itself retries
 * an unreachable broker for ever (two WARN lines a second, {@code /health} saying REBALANCING), so a wrong address
 * or a missing broker would never end the process. One {@code describeCluster} call, bounded by
 * {@code default.api.timeout.ms} (Kafka's default 60 s), answers it.
 */
final class BrokerCheck {
    private BrokerCheck() {
    }

    /**
     * Returns when the cluster answered.
     *
     * @param props the Kafka Streams properties (the admin client takes what applies to it, security included)
     * @throws ConfigException (exit code 2) naming {@code bootstrap.servers} when it did not answer in time
     */
    static void requireReachable(Properties props) throws InterruptedException {
        Duration timeout = Duration.ofMillis(Long.parseLong(props.getProperty(
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000").trim()));
        Properties admin = new Properties();
        admin.putAll(props);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        String bootstrap = props.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin client = Admin.create(AdminClientConfig.configNames().stream()
                .filter(admin::containsKey)
                .collect(java.util.stream.Collectors.toMap(k -> k, admin::get)))) {
            client.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("cannot reach the Kafka cluster at bootstrap.servers=" + bootstrap + " within "
                    + timeout.toSeconds() + " s (default.api.timeout.ms): " + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage() + ". Check the address, that the broker runs, and the security settings.");
        }
    }
}
