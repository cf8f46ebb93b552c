package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.rnnstreams.it.broker.KafkaBroker;
import io.rnnstreams.it.broker.ProcessorJvm;
import io.rnnstreams.it.broker.ProcessorLogs;
import io.rnnstreams.it.broker.WorkDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, security pass-through: the broker (a JVM, {@link KafkaBroker#startWithSaslPlain}) has a
 * SASL_PLAINTEXT listener with SASL/PLAIN and one user. The processor JVM ({@code rnn-streams.jar run}) is
 * given {@code security.protocol=SASL_PLAINTEXT} and {@code sasl.mechanism=PLAIN} with {@code --set} and
 * {@code sasl.jaas.config} (with the password) in the environment variable {@code KAFKA_SASL_JAAS_CONFIG}.
 *
 * <p>Asserted: every reading gets its prediction through the SASL listener (so the settings reached the
 * Streams clients; the test's own clients use the PLAINTEXT listener); the same with a wrong password (from a
 * {@code --config} file) exits by itself with code 1 and an authentication error in its log; and neither
 * password appears anywhere in the processor's standard output or error, which do show
 * {@code sasl.jaas.config} as {@code [hidden]} (rnn-streams' own configuration listing and Kafka's).
 * ({@code run --print-config} and usage errors are covered in-process by MainTest and SecretArgumentsTest.)
 *
 * <p>SSL: the broker also has an SSL listener with a self-signed certificate (made with keytool); the processor
 * given {@code security.protocol=SSL}, a PKCS12 truststore and its password (in {@code KAFKA_SSL_TRUSTSTORE_PASSWORD})
 * predicts every reading through it, and the truststore password is printed nowhere.
 *
 * <p>Skipped with {@code -Drnnstreams.broker.mode=testcontainers}: only the broker JVM has the SASL listener.
 */
class SecurityIT {
    static final String USER = "rnn-app";
    /** Distinctive, so that a search of the logs cannot miss it. */
    static final String PASSWORD = "pw-" + UUID.randomUUID();
    static final String KEYSTORE_PASSWORD = "ks-" + UUID.randomUUID();
    static final String TRUSTSTORE_PASSWORD = "ts-" + UUID.randomUUID();
    static final int S = 2;
    static final int R = 50;

    static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();

    private static KafkaBroker broker;
    private static Path work;
    /** The three processor JVMs by application id, started together so that their waits overlap. */
    private static final Map<String, ProcessorJvm> JVMS = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void startBroker() throws Exception {
        assumeFalse("testcontainers".equals(System.getProperty(KafkaBroker.MODE_PROPERTY)),
                "the SASL listener is configured on the broker JVM only");
        work = WorkDirs.create("security");
        Path keystore = work.resolve("broker.p12");
        Path certificate = work.resolve("broker.pem");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "7", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD);
        keytool("-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", KEYSTORE_PASSWORD,
                "-rfc", "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", truststore().toString(), "-storepass", TRUSTSTORE_PASSWORD);
        broker = KafkaBroker.startWithSaslPlainAndSsl(USER, PASSWORD, keystore, KEYSTORE_PASSWORD);

        Path jar = ProcessorJvm.locateJar();
        for (String app : List.of("sasl-ok", "ssl-ok", "sasl-wrong")) {
            broker.createTopics(Map.of(app + "-readings", 2, app + "-predictions", 2, app + "-dead-letters", 1));
            produce(app + "-readings");
        }
        // SASL/PLAIN, the JAAS configuration (with the password) in the environment
        JVMS.put("sasl-ok", ProcessorJvm.startCommand(jar, runArguments("sasl-ok"),
                Map.of("KAFKA_SASL_JAAS_CONFIG", jaas(PASSWORD)), work, "sasl-ok"));
        // SSL, the truststore password in the environment
        JVMS.put("ssl-ok", ProcessorJvm.startCommand(jar, runArguments("ssl-ok", broker.sslBootstrapServers(),
                        "security.protocol=SSL", "ssl.truststore.location=" + truststore(), "ssl.truststore.type=PKCS12"),
                Map.of("KAFKA_SSL_TRUSTSTORE_PASSWORD", TRUSTSTORE_PASSWORD), work, "ssl-ok"));
        // SASL/PLAIN with a wrong password, from a --config file
        Path config = work.resolve("sasl-wrong.properties");
        Properties p = new Properties();
        p.setProperty("sasl.jaas.config", jaas(WRONG_PASSWORD));
        try (var w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "SecurityIT: a wrong password");
        }
        List<String> args = runArguments("sasl-wrong");
        args.addAll(List.of("--config", config.toString()));
        JVMS.put("sasl-wrong", ProcessorJvm.startCommand(jar, args, Map.of(), work, "sasl-wrong"));
    }

    /** The client's truststore: the broker's self-signed certificate (in the work directory). */
    static Path truststore() {
        return work.resolve("truststore.p12");
    }

    static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        for (ProcessorJvm jvm : JVMS.values()) {
            jvm.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static String jaas(String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER
                + "\" password=\"" + password + "\";";
    }

    /** {@code run --set ...} with the application's topics on the SASL listener; the JAAS config comes separately. */
    static List<String> runArguments(String app) {
        return runArguments(app, broker.saslBootstrapServers(), "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN");
    }

    static List<String> runArguments(String app, String bootstrap, String... security) {
        List<String> args = new ArrayList<>(List.of("run"));
        List<String> settings = new ArrayList<>(List.of("application.id=" + app, "bootstrap.servers=" + bootstrap,
                "state.dir=" + work.resolve(app), "rnn.topic.input=" + app + "-readings",
                "rnn.topic.predictions=" + app + "-predictions", "rnn.topic.dead-letters=" + app + "-dead-letters",
                "rnn.model.channels=2", "rnn.model.hidden=4", "commit.interval.ms=100"));
        settings.addAll(List.of(security));
        for (String kv : settings) {
            args.add("--set");
            args.add(kv);
        }
        return args;
    }

    @Test
    void saslSettingsReachTheClientsAndThePasswordIsNeverPrinted() throws Exception {
        String app = "sasl-ok";
        ProcessorJvm jvm = JVMS.get(app);
        int predictions;
        try {
            predictions = EndToEndIT.readCommitted(broker.bootstrapServers(), app + "-predictions", S * R,
                    Duration.ofMinutes(2)).values().stream().mapToInt(List::size).sum();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; processor alive " + jvm.isAlive() + ", logs " + jvm.logs(), e);
        }
        assertEquals(S * R, predictions, "one prediction per reading, through the SASL listener");
        assertTrue(jvm.isAlive(), "still running");
        jvm.close();

        String out = ProcessorLogs.text(work.resolve(app + ".out"));
        String err = ProcessorLogs.text(work.resolve(app + ".err"));
        assertFalse(out.contains(PASSWORD) || err.contains(PASSWORD), "the password leaked; see " + jvm.logs());
        assertTrue(out.contains("environment variable KAFKA_SASL_JAAS_CONFIG"), "rnn-streams' listing names the "
                + "origin of sasl.jaas.config: " + jvm.logs());
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s*sasl\\.jaas\\.config\\s+= \\[hidden].*"
                + "environment variable KAFKA_SASL_JAAS_CONFIG.*")), "rnn-streams' listing: " + jvm.logs());
        assertTrue(out.contains("\tsasl.jaas.config = [hidden]"), "Kafka's config dump: " + jvm.logs());
        assertTrue(out.contains("\tsecurity.protocol = SASL_PLAINTEXT"), "Kafka's config dump: " + jvm.logs());
        System.out.printf("SecurityIT: %d predictions through SASL_PLAINTEXT/PLAIN; the password appears nowhere in "
                + "%,d bytes of processor output%n", predictions, out.length() + err.length());
    }

    @Test
    void aWrongPasswordExitsWithAnAuthenticationErrorAndIsNeverPrinted() throws Exception {
        String app = "sasl-wrong";
        String wrong = WRONG_PASSWORD;
        ProcessorJvm jvm = JVMS.get(app);
        assertTrue(jvm.awaitExit(120), "the processor did not exit within 2 minutes with a wrong password; logs "
                + jvm.logs());
        assertNotEquals(0, jvm.exitCode(), "exit code with a wrong password");
        String out = ProcessorLogs.text(work.resolve(app + ".out"));
        String err = ProcessorLogs.text(work.resolve(app + ".err"));
        assertTrue(out.contains("SaslAuthenticationException") && out.contains("Authentication failed"),
                "an authentication error in the log: " + jvm.logs());
        assertFalse(out.contains(wrong) || err.contains(wrong), "the wrong password leaked; see " + jvm.logs());
        System.out.printf("SecurityIT: wrong password: exit code %d within %.1f s of its start, "
                + "SaslAuthenticationException logged, password not printed%n", jvm.exitCode(), jvm.secondsSinceStart());
    }

    @Test
    void sslSettingsReachTheClientsAndTheTruststorePasswordIsNeverPrinted() throws Exception {
        String app = "ssl-ok";
        ProcessorJvm jvm = JVMS.get(app);
        int predictions;
        try {
            predictions = EndToEndIT.readCommitted(broker.bootstrapServers(), app + "-predictions", S * R,
                    Duration.ofMinutes(2)).values().stream().mapToInt(List::size).sum();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; processor alive " + jvm.isAlive() + ", logs " + jvm.logs(), e);
        }
        assertEquals(S * R, predictions, "one prediction per reading, through the SSL listener");
        jvm.close();
        String out = ProcessorLogs.text(work.resolve(app + ".out"));
        String err = ProcessorLogs.text(work.resolve(app + ".err"));
        assertFalse(out.contains(TRUSTSTORE_PASSWORD) || err.contains(TRUSTSTORE_PASSWORD), "leaked; " + jvm.logs());
        assertTrue(out.contains("\tssl.truststore.password = [hidden]"), "Kafka's config dump: " + jvm.logs());
        assertTrue(out.contains("\tsecurity.protocol = SSL"), "Kafka's config dump: " + jvm.logs());
        System.out.printf("SecurityIT: %d predictions through SSL (truststore with the broker's self-signed "
                + "certificate); the truststore password appears nowhere in the processor output%n", predictions);
    }

    static void produce(String topic) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int t = 0; t < R; t++) {
                for (int k = 0; k < S; k++) {
                    producer.send(new ProducerRecord<>(topic, null, EndToEndIT.time(t), "sensor-" + k,
                            EndToEndIT.reading(k, t)));
                }
            }
            producer.flush();
        }
    }
}
