package io.rnnstreams.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/**
 * SSL and SASL settings are accepted, reach the client properties unchanged, are secrets exactly where Kafka
 * types them as passwords (or their names say so), and are hidden wherever rnn-streams prints them.
 */
class SecretsTest {
    private static final Map<String, String> SSL = Map.of(
            "security.protocol", "SSL",
            "ssl.truststore.location", "/etc/kafka/truststore.p12",
            "ssl.truststore.password", "truststore-PW",
            "ssl.truststore.type", "PKCS12",
            "ssl.keystore.location", "/etc/kafka/keystore.p12",
            "ssl.keystore.password", "keystore-PW",
            "ssl.key.password", "key-PW",
            "ssl.keystore.type", "PKCS12",
            "ssl.endpoint.identification.algorithm", "");

    @Test
    void sslSettingsAreAcceptedAndReachTheClientsUnchanged() {
        AppConfig config = AppConfig.of(SSL);
        Properties kafka = config.kafkaProperties();
        SSL.forEach((k, v) -> assertEquals(v, kafka.getProperty(k), k));
        // Kafka's own clients parse them: passwords become Password objects, which print as [hidden]
        Map<String, ?> parsed = new ConsumerConfig(withSerdes(kafka)).values();
        assertEquals("truststore-PW", ((Password) parsed.get("ssl.truststore.password")).value());
        assertEquals("[hidden]", parsed.get("ssl.keystore.password").toString());
        assertEquals("/etc/kafka/truststore.p12", parsed.get("ssl.truststore.location"));
    }

    @Test
    void secretsAreExactlyKafkasPasswordTypedSslAndSaslSettingsAndNamesThatSaySo() {
        ConfigDef producer = ProducerConfig.configDef();
        for (String name : producer.names()) {
            if (!name.startsWith("ssl.") && !name.startsWith("sasl.")) {
                continue;
            }
            boolean password = producer.configKeys().get(name).type == ConfigDef.Type.PASSWORD;
            if (password) {
                assertTrue(Secrets.isSecret(name), name + " is a Kafka PASSWORD");
                assertTrue(Secrets.isSecret("producer." + name), "producer." + name);
                assertTrue(Secrets.isSecret("main.consumer." + name), "main.consumer." + name);
            } else if (!name.contains("password") && !name.contains("secret") && !name.contains("jaas")) {
                assertFalse(Secrets.isSecret(name), name + " is no secret");
            }
        }
        for (String name : List.of("ssl.truststore.password", "ssl.keystore.password", "ssl.key.password",
                "ssl.keystore.key", "ssl.keystore.certificate.chain", "ssl.truststore.certificates",
                "sasl.jaas.config", "sasl.oauthbearer.client.credentials.client.secret")) {
            assertTrue(Secrets.isSecret(name), name);
        }
        for (String name : List.of("ssl.truststore.location", "ssl.keystore.location", "ssl.truststore.type",
                "sasl.mechanism", "security.protocol", "bootstrap.servers")) {
            assertFalse(Secrets.isSecret(name), name);
        }
    }

    @Test
    void describeHidesEverySecretAndShowsTheRest() {
        String text = AppConfig.of(SSL).describe();
        for (String secret : List.of("truststore-PW", "keystore-PW", "key-PW")) {
            assertFalse(text.contains(secret), secret + " leaked:\n" + text);
        }
        assertEquals(3, text.lines().filter(l -> l.contains(Secrets.HIDDEN) && l.contains("ssl.")).count(), text);
        assertTrue(text.contains("/etc/kafka/keystore.p12"), text);
    }

    @Test
    void maskHidesSecretValuesOfArgumentsInAnyText() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"PW1\";";
        assertEquals("Unknown options: '--sett', 'sasl.jaas.config=[hidden]'",
                Secrets.mask("Unknown options: '--sett', 'sasl.jaas.config=" + jaas + "'", "run", "--sett",
                        "sasl.jaas.config=" + jaas));
        assertEquals("Unmatched argument at index 3: '[hidden]'",
                Secrets.mask("Unmatched argument at index 3: 'PW3'", "run", "--set", "ssl.truststore.password", "PW3"));
        assertEquals("bad: --set=ssl.key.password=[hidden]",
                Secrets.mask("bad: --set=ssl.key.password=PW4", "--set=ssl.key.password=PW4"));
        assertEquals("Unmatched argument: 'rnn.model.hidden=PW5'",
                Secrets.mask("Unmatched argument: 'rnn.model.hidden=PW5'", "--sett", "rnn.model.hidden=PW5"),
                "not a secret: unchanged");
    }

    private static Properties withSerdes(Properties p) {
        Properties q = new Properties();
        q.putAll(p);
        q.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        q.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        q.remove("application.id");
        q.remove("processing.guarantee");
        return q;
    }
}
