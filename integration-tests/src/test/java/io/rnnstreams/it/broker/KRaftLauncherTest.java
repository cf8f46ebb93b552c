package io.rnnstreams.it.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's own steps without a broker: port picking (required, preferred, any), the server.properties it
 * writes, the cluster id form, and the restart rule (a configured directory gets its previous ports back).
 */
class KRaftLauncherTest {

    private static final String[] NAMES = {"--broker-port", "--controller-port"};

    @Test
    void aRequiredPortThatIsTakenIsRefusedNamingTheOption() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KRaftLauncher.pickPorts(new int[] {port, 0}, new int[] {0, 0}, NAMES));
            assertEquals("--broker-port " + port + " is not free on 127.0.0.1", e.getMessage());
        }
    }

    @Test
    void aPreferredPortIsKeptWhenFreeAndReplacedWhenTaken() throws IOException {
        int free = KRaftLauncher.freePorts(1)[0];
        assertEquals(free, KRaftLauncher.pickPorts(new int[] {0, 0}, new int[] {free, 0}, NAMES)[0]);
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int[] ports = KRaftLauncher.pickPorts(new int[] {0, 0}, new int[] {busy.getLocalPort(), 0}, NAMES);
            assertNotEquals(busy.getLocalPort(), ports[0]);
            assertNotEquals(ports[0], ports[1]);
        }
    }

    @Test
    void aListenerNotAskedForGetsNoPort() {
        int[] ports = KRaftLauncher.pickPorts(new int[] {0, 0, -1, -1}, new int[4], new String[4]);
        assertEquals(0, ports[2]);
        assertEquals(0, ports[3]);
        assertTrue(ports[0] > 0 && ports[1] > 0 && ports[0] != ports[1]);
    }

    @Test
    void serverPropertiesOfThePlainNode() {
        String p = KRaftLauncher.serverProperties(Path.of("/d"), new int[] {9092, 9093, 0, 0}, null, null, null, null);
        List<String> lines = List.of(p.split("\n"));
        assertTrue(lines.contains("controller.quorum.voters=1@127.0.0.1:9093"), p);
        assertTrue(lines.contains("listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093"), p);
        assertTrue(lines.contains("advertised.listeners=PLAINTEXT://127.0.0.1:9092"), p);
        assertTrue(lines.contains("listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"), p);
        assertTrue(lines.contains("log.dirs=/d/data"), p);
        assertTrue(lines.contains("log.retention.ms=-1"), p);
        assertFalse(p.contains("SASL") || p.contains("SSL"), p);
    }

    @Test
    void serverPropertiesWithSaslAndSslListeners() {
        String p = KRaftLauncher.serverProperties(Path.of("/d"), new int[] {1, 2, 3, 4}, "u", "pw", Path.of("/k.p12"), "kp");
        List<String> lines = List.of(p.split("\n"));
        assertTrue(lines.contains("listeners=PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2,SASL_PLAINTEXT://127.0.0.1:3,"
                + "SSL://127.0.0.1:4"), p);
        assertTrue(lines.contains("advertised.listeners=PLAINTEXT://127.0.0.1:1,SASL_PLAINTEXT://127.0.0.1:3,SSL://127.0.0.1:4"), p);
        assertTrue(lines.contains("listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,"
                + "SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL"), p);
        assertTrue(lines.contains("listener.name.sasl_plaintext.plain.sasl.jaas.config="
                + "org.apache.kafka.common.security.plain.PlainLoginModule required user_u=\"pw\";"), p);
        assertTrue(lines.contains("listener.name.ssl.ssl.keystore.location=/k.p12"), p);
        assertTrue(lines.contains("listener.name.ssl.ssl.keystore.password=kp"), p);
    }

    @Test
    void clusterIdsHaveKafkasUuidForm() {
        for (int i = 0; i < 200; i++) {
            String id = KRaftLauncher.randomClusterId();
            assertTrue(id.matches("[A-Za-z0-9_-]{22}") && !id.startsWith("-"), id);
        }
    }

    /** A formatted directory (meta.properties present: no format step) is configured again on the same ports. */
    @Test
    void aConfiguredDirectoryGetsItsPortsBack(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/meta.properties"), "formatted by the test\n");
        List<String> options = List.of("--dir", dir.toString(), "--classpath-file", dir.resolve("none").toString(),
                "--log4j2", dir.resolve("none.xml").toString());
        int[] first = KRaftLauncher.configure(options);
        assertArrayEquals(first, KRaftLauncher.configure(options));
        assertTrue(Files.readString(dir.resolve(KRaftLauncher.SERVER_PROPERTIES))
                .contains("advertised.listeners=PLAINTEXT://127.0.0.1:" + first[0] + "\n"));
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        assertEquals("--dir, --classpath-file and --log4j2 are required",
                assertThrows(IllegalArgumentException.class, () -> KRaftLauncher.configure(List.of())).getMessage());
        assertEquals("--broker-port must be a port number 0..65535 (0: any free port), not 70000",
                assertThrows(IllegalArgumentException.class,
                        () -> KRaftLauncher.configure(List.of("--broker-port", "70000"))).getMessage());
    }
}
