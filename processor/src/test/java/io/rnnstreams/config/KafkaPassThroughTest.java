package io.rnnstreams.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** Kafka settings, prefixed and security ones included, pass through; describe() hides secrets. */
class KafkaPassThroughTest {

    @Test
    void streamsClientPrefixedAndSecurityKeysPassThrough() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("application.id", "plant-7");
        given.put("bootstrap.servers", "k1:9092,k2:9092");
        given.put("num.stream.threads", "4");
        given.put("state.dir", "/var/lib/rnn-streams");
        given.put("max.poll.records", "200");
        given.put("acks", "all");
        given.put("consumer.max.poll.records", "100");
        given.put("main.consumer.fetch.min.bytes", "1");
        given.put("restore.consumer.max.poll.records", "1000");
        given.put("global.consumer.client.rack", "eu-1a");
        given.put("producer.linger.ms", "5");
        given.put("admin.retries", "3");
        given.put("topic.retention.ms", "86400000");
        given.put("security.protocol", "SASL_SSL");
        given.put("sasl.mechanism", "SCRAM-SHA-512");
        given.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"u\" password=\"p\";");
        given.put("ssl.truststore.location", "/etc/ts.p12");
        given.put("ssl.truststore.password", "ts-secret");
        given.put("producer.ssl.key.password", "kp");
        given.put("consumer.sasl.kerberos.service.name", "kafka");
        given.put("sasl.login.custom.option", "passed through: custom login modules read their own settings");
        given.put("client.tag.zone", "eu-1a");
        given.put("metrics.context.team", "sensors");
        given.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        AppConfig config = AppConfig.of(given);

        Properties expected = new Properties();
        expected.putAll(given);
        expected.setProperty("processing.guarantee", "exactly_once_v2");
        assertEquals(expected, config.kafkaProperties());
        assertEquals(List.of(), config.warnings());
        // and Kafka Streams itself accepts them
        StreamsConfig streams = new StreamsConfig(config.kafkaProperties());
        assertEquals("plant-7", streams.getString(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals("100", streams.getMainConsumerConfigs("g", "c", 0).get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
    }

    @Test
    void everyKnownNameIsAccepted() {
        for (String name : StreamsConfig.configDef().names()) {
            assertTrue(KafkaSettings.isKnown(name), name);
        }
        for (String name : ConsumerConfig.configNames()) {
            assertTrue(KafkaSettings.isKnown(name), name);
            assertTrue(KafkaSettings.isKnown(StreamsConfig.consumerPrefix(name)), name);
            assertTrue(KafkaSettings.isKnown(StreamsConfig.mainConsumerPrefix(name)), name);
            assertTrue(KafkaSettings.isKnown(StreamsConfig.restoreConsumerPrefix(name)), name);
            assertTrue(KafkaSettings.isKnown(StreamsConfig.globalConsumerPrefix(name)), name);
        }
        assertFalse(KafkaSettings.isKnown("rnn.model.hidden"));
        assertFalse(KafkaSettings.isKnown("ssl."));
        assertFalse(KafkaSettings.isKnown("producer.max.poll.records"));
    }

    @Test
    void everyKafkaEnvironmentVariableMeansOneSetting() {
        Map<String, Set<String>> ambiguous = new TreeMap<>();
        for (String variable : KafkaSettings.environmentNames()) {
            Set<String> names = KafkaSettings.forEnvironmentVariable(variable);
            if (names.size() != 1) {
                ambiguous.put(variable, names);
            }
        }
        assertEquals(Map.of(), ambiguous);
        assertEquals(Set.of("sasl.jaas.config"), KafkaSettings.forEnvironmentVariable("KAFKA_SASL_JAAS_CONFIG"));
        assertEquals(Set.of(), KafkaSettings.forEnvironmentVariable("KAFKA_HEAP_OPTS"));
    }

    @Test
    void describeHidesSecretsAndShowsOrigins() {
        AppConfig config = AppConfig.load(null,
                Map.of("KAFKA_SASL_JAAS_CONFIG", "x.Login required username=\"u\" password=\"jaas-pw\";"),
                List.of("ssl.truststore.password=truststore-pw", "ssl.keystore.password=keystore-pw",
                        "ssl.key.password=key-pw", "producer.ssl.key.password=producer-key-pw",
                        "sasl.oauthbearer.client.credentials.client.secret=oauth-secret",
                        "ssl.keystore.key=-----BEGIN PRIVATE KEY-----", "ssl.truststore.location=/etc/ts.p12",
                        "rnn.model.hidden=64,32"));
        String text = config.describe();
        for (String secret : List.of("jaas-pw", "truststore-pw", "keystore-pw", "key-pw", "producer-key-pw",
                "oauth-secret", "PRIVATE KEY")) {
            assertFalse(text.contains(secret), secret + " leaked:\n" + text);
        }
        List<String> lines = text.lines().toList();
        assertEquals("rnn-streams configuration (model fingerprint " + config.modelFingerprint() + ")", lines.get(0));
        assertTrue(lines.contains(
                "  sasl.jaas.config                                  = [hidden]                  "
                        + "(environment variable KAFKA_SASL_JAAS_CONFIG)"), text);
        assertTrue(lines.contains(
                "  ssl.truststore.location                           = /etc/ts.p12               (--set)"), text);
        assertTrue(lines.contains(
                "  rnn.model.hidden                                  = 64,32                     (--set)"), text);
        assertTrue(lines.contains(
                "  rnn.topic.input.pattern                           = (unset)                   (default)"), text);
        assertEquals(7, lines.stream().filter(l -> l.contains("[hidden]")).count(), text);
        assertEquals(1 + Settings.ALL.size() + 1 + 3 + 8, lines.size(), text);
        // the values themselves still reach Kafka
        assertEquals("truststore-pw", config.kafkaProperties().getProperty("ssl.truststore.password"));
        assertEquals(text, config.toString());
    }

    @Test
    void secretKeysAreRecognisedByName() {
        for (String key : List.of("ssl.key.password", "ssl.keystore.password", "sasl.jaas.config",
                "producer.sasl.jaas.config", "basic.auth.user.secret", "my.PASSWORD", "ssl.keystore.key",
                "ssl.truststore.certificates")) {
            assertTrue(AppConfig.isSecret(key), key);
        }
        for (String key : List.of("bootstrap.servers", "ssl.keystore.location", "sasl.mechanism",
                "rnn.model.hidden", "key.serializer")) {
            assertFalse(AppConfig.isSecret(key), key);
        }
    }

    @Test
    void aSecurityTypoIsNotPassedThrough() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> AppConfig.of(Map.of("producer.ssl.truststore.locaton", "/x")));
        assertEquals("invalid configuration: unknown setting 'producer.ssl.truststore.locaton' (from given): neither "
                + "an rnn.* setting nor a Kafka Streams, consumer, producer, admin or topic config; did you mean "
                + "'producer.ssl.truststore.location'?", e.getMessage());
    }

    @Test
    void secretValuesAreNotEchoedInErrors() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> AppConfig.of(Map.of("bootstrap.servers", "k:9092", "ssl.key.passwrd", "hunter2")));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals("invalid configuration: unknown setting 'ssl.key.passwrd' (from given): neither an rnn.* "
                + "setting nor a Kafka Streams, consumer, producer, admin or topic config; did you mean "
                + "'ssl.key.password'?", e.getMessage());
    }
}
