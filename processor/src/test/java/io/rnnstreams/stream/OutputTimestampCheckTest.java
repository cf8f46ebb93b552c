package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.junit.jupiter.api.Test;

/** {@link OutputTimestampCheck#refusals}: which topic configurations refuse what rnn.time.max-ahead lets through. */
class OutputTimestampCheckTest {

    private static Config topic(String type, String afterMaxMs) {
        return new Config(List.of(new ConfigEntry("message.timestamp.type", type),
                new ConfigEntry("message.timestamp.after.max.ms", afterMaxMs)));
    }

    @Test
    void aLimitBelowMaxAheadIsRefusedAndOneAtOrAboveItIsNot() {
        Map<String, Config> configs = new TreeMap<>(Map.of(
                "below", topic("CreateTime", "599999"),
                "equal", topic("CreateTime", "600000"),
                "broker-default", topic("CreateTime", "3600000")));
        assertEquals(List.of("topic below refuses timestamps more than 599999 ms ahead (message.timestamp.after.max.ms),"
                        + " less than rnn.time.max-ahead=PT10M (600000 ms)"),
                OutputTimestampCheck.refusals(configs, Duration.ofMinutes(10)));
    }

    @Test
    void logAppendTimeTopicsAreRestampedByTheBrokerAndNeverRefuse() {
        assertEquals(List.of(), OutputTimestampCheck.refusals(Map.of("t", topic("LogAppendTime", "1")),
                Duration.ofMinutes(10)));
    }

    @Test
    void aTopicWithoutTheSettingIsNotJudged() {
        assertEquals(List.of(), OutputTimestampCheck.refusals(Map.of("t", new Config(List.of())),
                Duration.ofMinutes(10)));
    }
}
