package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/local/kafka.sh}, the README's broker for the demo and for users, run as a user runs it (issue 12,
 * item 14): {@code start} prints the bootstrap address and is idempotent; {@code create-topics --config} sets topic
 * configurations (retention for historical data); after {@code stop} a restart keeps its port; when that port is
 * taken the broker starts on another and says loudly that it MOVED, naming both; {@code status} exits 3 when
 * stopped. One broker JVM, started three times (~1 min).
 */
class LocalKafkaScriptIT {
    private static final Duration STEP = Duration.ofMinutes(4);
    @TempDir
    Path data;

    private CommandRun kafka(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "KAFKA_DATA_DIR=" + data.resolve("kafka"),
                "bash", "deploy/local/kafka.sh"));
        command.addAll(List.of(args));
        return CommandRun.run(command, "  kafka.sh " + args[0] + ": ", STEP);
    }

    @AfterEach
    void stop() throws Exception {
        kafka("stop");
    }

    @Test
    void startIsIdempotentRestartsKeepThePortAndAMovedPortIsSaid() throws Exception {
        CommandRun first = kafka("start");
        assertEquals(0, first.exitCode(), first.tail(20));
        String bootstrap = first.lineAfter("bootstrap=");
        assertNotNull(bootstrap, first.tail(20));
        assertTrue(bootstrap.matches("127\\.0\\.0\\.1:\\d+"), bootstrap);

        CommandRun again = kafka("start");
        assertEquals(0, again.exitCode(), again.tail(20));
        assertEquals(bootstrap, again.lineAfter("bootstrap="), "a second start reports the running broker");

        CommandRun topics = kafka("create-topics", "--config", "retention.ms=-1", "history:2");
        assertEquals(0, topics.exitCode(), topics.tail(20));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicDescription history = admin.describeTopics(List.of("history")).allTopicNames()
                    .get(60, TimeUnit.SECONDS).get("history");
            assertEquals(2, history.partitions().size());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "history");
            assertEquals("-1", admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS)
                    .get(resource).get("retention.ms").value());
        }

        assertEquals(0, kafka("stop").exitCode());
        assertEquals(3, kafka("status").exitCode(), "status of a stopped broker");
        CommandRun restart = kafka("start");
        assertEquals(0, restart.exitCode(), restart.tail(20));
        assertEquals(bootstrap, restart.lineAfter("bootstrap="), "a restart keeps its free port");
        assertEquals(0, kafka("stop").exitCode());

        int port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            CommandRun moved = kafka("start");
            assertEquals(0, moved.exitCode(), moved.tail(20));
            String now = moved.lineAfter("bootstrap=");
            assertNotEquals(bootstrap, now, "the old port is taken");
            assertTrue(moved.lines().stream().anyMatch(l -> l.contains("WARNING") && l.contains("MOVED from "
                    + bootstrap + " to " + now)), "a moved broker is said loudly: " + moved.tail(20));
        }
    }
}
