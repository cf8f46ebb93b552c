package io.rnnstreams.it.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one KRaft launcher of the project: a single-node Kafka (one combined broker + controller on 127.0.0.1)
 * is configured here and nowhere else. {@code deploy/local/kafka.sh} (compiled once by the script with
 * {@code javac} into its cache) and the test fixture {@link JvmBroker} both call {@link #configure}: it picks the
 * ports, writes {@code DIR/server.properties} and formats {@code DIR/data} when it is not formatted yet.
 * Each caller then starts {@code kafka.Kafka DIR/server.properties} its own way (the script as a daemon, the
 * fixture as a child JVM through {@link #main exit-with-parent}).
 *
 * <p>Command line ({@code java -cp DIR io.rnnstreams.it.broker.KRaftLauncher ...}):
 * <pre>
 *   configure --dir DIR --classpath-file FILE --log4j2 FILE
 *             [--broker-port N] [--controller-port N]          N must be free; 0 or absent: the port of DIR's
 *                                                              previous server.properties when free, else any
 *             [--sasl-user U --sasl-password P]                an extra SASL_PLAINTEXT listener (SASL/PLAIN, one user)
 *             [--ssl-keystore PKCS12 --ssl-password P]         an extra SSL listener
 *   exit-with-parent MAIN ARGS...                              runs MAIN's main(ARGS) and exits the JVM when
 *                                                              standard input reaches end of file
 * </pre>
 * {@code configure} prints one line per listener to standard output ({@code PLAINTEXT=PORT},
 * {@code CONTROLLER=PORT}, {@code SASL_PLAINTEXT=PORT}, {@code SSL=PORT}) and exits 2 with a message naming the
 * option on a bad argument or a port that is not free.
 *
 * <p>Self-contained on purpose (only java.base; no nested, anonymous or local classes): the fixture copies this
 * single class file next to the broker's data and puts it on the broker's classpath, and the script compiles it
 * without the rest of the test tree.
 */
public final class KRaftLauncher {

    /** Name of the file {@link #configure} writes in the data directory. */
    public static final String SERVER_PROPERTIES = "server.properties";
    /** JVM options of the storage format step: a short-lived tool, tuned for start-up. */
    private static final List<String> TOOL_JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final long FORMAT_TIMEOUT_SECONDS = 120;

    private KRaftLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length > 0 && args[0].equals("configure")) {
            try {
                int[] ports = configure(Arrays.asList(args).subList(1, args.length));
                String[] names = {"PLAINTEXT", "CONTROLLER", "SASL_PLAINTEXT", "SSL"};
                for (int i = 0; i < ports.length; i++) {
                    if (ports[i] > 0) {
                        System.out.println(names[i] + "=" + ports[i]);
                    }
                }
            } catch (IllegalArgumentException e) {
                System.err.println("KRaftLauncher: " + e.getMessage());
                System.exit(2);
            }
        } else if (args.length > 1 && args[0].equals("exit-with-parent")) {
            exitWithParent(Arrays.copyOfRange(args, 1, args.length));
        } else {
            System.err.println("usage: KRaftLauncher configure --dir DIR --classpath-file FILE --log4j2 FILE [options]"
                    + " | exit-with-parent MAIN ARGS...");
            System.exit(2);
        }
    }

    /**
     * Picks the ports, writes {@code DIR/server.properties} and formats {@code DIR/data} unless
     * {@code DIR/data/meta.properties} exists (a restart keeps its data and cluster id).
     *
     * @param args the {@code configure} options of the command line (see the class comment)
     * @return the ports {@code [PLAINTEXT, CONTROLLER, SASL_PLAINTEXT, SSL]}, 0 for a listener not configured
     * @throws IllegalArgumentException on a bad option or a requested port that is not free
     */
    public static int[] configure(List<String> args) {
        Path dir = null;
        Path classpathFile = null;
        Path log4j2 = null;
        int brokerPort = 0;
        int controllerPort = 0;
        String saslUser = null;
        String saslPassword = null;
        Path sslKeystore = null;
        String sslPassword = null;
        for (int i = 0; i < args.size(); i += 2) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args.get(i + 1);
            switch (option) {
                case "--dir" -> dir = Paths.get(value).toAbsolutePath().normalize();
                case "--classpath-file" -> classpathFile = Paths.get(value);
                case "--log4j2" -> log4j2 = Paths.get(value).toAbsolutePath().normalize();
                case "--broker-port" -> brokerPort = port(option, value);
                case "--controller-port" -> controllerPort = port(option, value);
                case "--sasl-user" -> saslUser = value;
                case "--sasl-password" -> saslPassword = value;
                case "--ssl-keystore" -> sslKeystore = Paths.get(value).toAbsolutePath().normalize();
                case "--ssl-password" -> sslPassword = value;
                default -> throw new IllegalArgumentException("unknown option " + option + " (allowed: --dir, --classpath-file,"
                        + " --log4j2, --broker-port, --controller-port, --sasl-user, --sasl-password, --ssl-keystore,"
                        + " --ssl-password)");
            }
        }
        if (dir == null || classpathFile == null || log4j2 == null) {
            throw new IllegalArgumentException("--dir, --classpath-file and --log4j2 are required");
        }
        if ((saslUser == null) != (saslPassword == null)) {
            throw new IllegalArgumentException("--sasl-user and --sasl-password go together");
        }
        if (saslUser != null && (saslUser.isEmpty() || saslUser.contains("\"") || saslPassword.contains("\"")
                || saslPassword.contains("\\"))) {
            throw new IllegalArgumentException("--sasl-user and --sasl-password must be non-empty, without \" or \\");
        }
        if ((sslKeystore == null) != (sslPassword == null)) {
            throw new IllegalArgumentException("--ssl-keystore and --ssl-password go together");
        }
        Path properties = dir.resolve(SERVER_PROPERTIES);
        int[] ports = pickPorts(new int[] {
                brokerPort, controllerPort, saslUser == null ? -1 : 0, sslKeystore == null ? -1 : 0},
                new int[] {previousPort(properties, "PLAINTEXT"), previousPort(properties, "CONTROLLER"), 0, 0},
                new String[] {"--broker-port", "--controller-port", "", ""});
        try {
            Files.createDirectories(dir.resolve("logs"));
            Path tmp = dir.resolve(SERVER_PROPERTIES + ".tmp");
            Files.writeString(tmp, serverProperties(dir, ports, saslUser, saslPassword, sslKeystore, sslPassword));
            Files.move(tmp, properties, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.isRegularFile(dir.resolve("data").resolve("meta.properties"))) {
            format(dir, properties, readClasspath(classpathFile), log4j2);
        }
        return ports;
    }

    /** The server.properties of the one KRaft node; listeners with a port of 0 (SASL, SSL) are left out. */
    static String serverProperties(Path dir, int[] ports, String saslUser, String saslPassword, Path sslKeystore,
                                   String sslPassword) {
        String cport = Integer.toString(ports[1]);
        String bport = Integer.toString(ports[0]);
        String extra = (ports[2] > 0 ? ",SASL_PLAINTEXT://127.0.0.1:" + ports[2] : "")
                + (ports[3] > 0 ? ",SSL://127.0.0.1:" + ports[3] : "");
        List<String> lines = new ArrayList<>(List.of(
                "# written by io.rnnstreams.it.broker.KRaftLauncher: one combined KRaft node (broker + controller) on 127.0.0.1",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + cport,
                "listeners=PLAINTEXT://127.0.0.1:" + bport + ",CONTROLLER://127.0.0.1:" + cport + extra,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + bport + extra,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
                        + (ports[2] > 0 ? ",SASL_PLAINTEXT:SASL_PLAINTEXT" : "") + (ports[3] > 0 ? ",SSL:SSL" : "")));
        if (ports[3] > 0) {
            lines.add("listener.name.ssl.ssl.keystore.location=" + sslKeystore);
            lines.add("listener.name.ssl.ssl.keystore.password=" + sslPassword);
            lines.add("listener.name.ssl.ssl.key.password=" + sslPassword);
            lines.add("listener.name.ssl.ssl.keystore.type=PKCS12");
        }
        if (ports[2] > 0) {
            lines.add("listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN");
            lines.add("listener.name.sasl_plaintext.plain.sasl.jaas.config="
                    + "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + saslUser
                    + "=\"" + saslPassword + "\";");
        }
        lines.addAll(List.of(
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // sensor data replayed with its historical event times as record timestamps: never delete by age
                "log.retention.ms=-1",
                ""));
        return String.join("\n", lines);
    }

    /**
     * Distinct bindable ports on 127.0.0.1, all sockets held open until every port is chosen.
     * {@code required[i]}: &gt; 0 that port or an {@link IllegalArgumentException} naming {@code names[i]};
     * 0 {@code preferred[i]} when it is &gt; 0 and free, else any free port; -1 no port (result 0).
     */
    static int[] pickPorts(int[] required, int[] preferred, String[] names) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[required.length];
            for (int i = 0; i < required.length; i++) {
                if (required[i] < 0) {
                    continue;
                }
                ServerSocket s = null;
                if (required[i] > 0) {
                    s = bind(required[i]);
                    if (s == null) {
                        throw new IllegalArgumentException(names[i] + " " + required[i] + " is not free on 127.0.0.1");
                    }
                } else if (preferred[i] > 0) {
                    s = bind(preferred[i]);
                }
                if (s == null) {
                    s = bind(0);
                }
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    /** {@code count} distinct free TCP ports on 127.0.0.1. */
    public static int[] freePorts(int count) {
        int[] any = new int[count];
        return pickPorts(any, any, new String[count]);
    }

    private static ServerSocket bind(int port) {
        ServerSocket s = null;
        try {
            s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return s;
        } catch (IOException e) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
            if (port == 0) {
                throw new UncheckedIOException("no free port on 127.0.0.1", e);
            }
            return null;
        }
    }

    /** The port of listener {@code name} in an existing server.properties, 0 when there is none. */
    private static int previousPort(Path properties, String name) {
        if (!Files.isRegularFile(properties)) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(properties, StandardCharsets.UTF_8)) {
                if (line.startsWith("listeners=")) {
                    for (String listener : line.substring("listeners=".length()).split(",")) {
                        if (listener.startsWith(name + "://")) {
                            return Integer.parseInt(listener.substring(listener.lastIndexOf(':') + 1));
                        }
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static int port(String option, String value) {
        try {
            int p = Integer.parseInt(value);
            if (p >= 0 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a port number 0..65535 (0: any free port), not " + value);
    }

    private static String readClasspath(Path file) {
        try {
            String cp = Files.readString(file).trim();
            if (cp.isEmpty()) {
                throw new IllegalArgumentException("--classpath-file " + file + " is empty");
            }
            return cp;
        } catch (IOException e) {
            throw new IllegalArgumentException("--classpath-file " + file + " is not readable: " + e, e);
        }
    }

    /** {@code kafka.tools.StorageTool format} with a new cluster id, in a short-lived JVM; output in DIR/format.log. */
    private static void format(Path dir, Path properties, String classpath, Path log4j2) {
        String clusterId = randomClusterId();
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(TOOL_JVM_OPTIONS);
        cmd.add("-Dkafka.logs.dir=" + dir.resolve("logs"));
        cmd.add("-Dlog4j2.configurationFile=" + log4j2);
        cmd.addAll(List.of("-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString()));
        Path out = dir.resolve("format.log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
            if (!p.waitFor(FORMAT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("kafka.tools.StorageTool format did not finish in " + FORMAT_TIMEOUT_SECONDS
                        + " s\n" + tail(out, 40));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("kafka.tools.StorageTool format exited with " + p.exitValue() + "\n" + tail(out, 40));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        System.err.println("KRaftLauncher: formatted " + dir.resolve("data") + " (cluster id " + clusterId + ")");
    }

    /**
     * A Kafka {@code Uuid} in its string form: 16 random bytes, URL-safe base64 without padding, not starting
     * with '-' (as {@code org.apache.kafka.common.Uuid.randomUuid()}; this class may not use Kafka's classes).
     */
    static String randomClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        while (true) {
            random.nextBytes(bytes);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-") && !id.equals("AAAAAAAAAAAAAAAAAAAAAA") && !id.equals("AAAAAAAAAAAAAAAAAAAAAQ")) {
                return id;
            }
        }
    }

    /**
     * Copies this class file to {@code dir/launcher}, a classpath entry holding only this class, for a child JVM
     * started with {@code exit-with-parent} (the broker, the schema registry server).
     *
     * @return the absolute path of that classpath entry
     */
    public static Path install(Path dir) {
        Path root = dir.resolve("launcher");
        String resource = KRaftLauncher.class.getName().replace('.', '/') + ".class";
        Path target = root.resolve(resource);
        try (InputStream in = KRaftLauncher.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " not found on the class path");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root.toAbsolutePath();
    }

    /** The last {@code lines} lines of a text file, or a note that it is not readable. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "(" + file + " not readable: " + e + ")\n";
        }
    }

    /**
     * Runs {@code args[0]}'s main (normally {@code kafka.Kafka}) with the remaining arguments, and exits the JVM
     * (so Kafka's shutdown hook stops the broker cleanly) as soon as standard input reaches end of file. The
     * fixture's standard input is a pipe from the test JVM, which never writes to it: it reaches end of file when
     * the test JVM dies, even by SIGKILL, so a killed test run does not leave a broker behind.
     */
    private static void exitWithParent(String[] args) throws Throwable {
        Thread watchdog = new Thread(KRaftLauncher::exitWhenParentGone, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void exitWhenParentGone() {
        byte[] buffer = new byte[256];
        try {
            InputStream in = System.in;
            while (in.read(buffer) >= 0) {
                // the parent never writes; keep waiting for end of file
            }
        } catch (IOException e) {
            // treated as end of file
        }
        System.err.println("KRaftLauncher: standard input closed (the parent JVM is gone); shutting down");
        System.exit(0);
    }
}
