package io.rnnstreams.it.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads a processor JVM's metrics over JMX remote, bound to 127.0.0.1 on a free port without
 * authentication or TLS (test use only). Start the JVM with {@link #jvmOptions(int)}, then
 * {@link #connect(int, Duration)} once it is up.
 */
public final class ProcessorJmx implements AutoCloseable {
    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private ProcessorJmx(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    /** JVM options that open JMX remote on {@code 127.0.0.1:port} (registry and RMI on the same port). */
    public static List<String> jvmOptions(int port) {
        return List.of(
                "-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Dcom.sun.management.jmxremote.local.only=true",
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false",
                "-Djava.rmi.server.hostname=127.0.0.1");
    }

    /** Connects, retrying while the JVM is still starting, for at most {@code timeout}. */
    public static ProcessorJmx connect(int port, Duration timeout) throws InterruptedException {
        JMXServiceURL url;
        try {
            url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return new ProcessorJmx(JMXConnectorFactory.connect(url));
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no JMX connection to " + url + " within " + timeout, e);
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * The sum of the numeric attribute {@code attribute} over every MBean {@code kafka.streams:type=TYPE,*}
     * that has it (Kafka Streams registers one per task for the application's own sensors), and how many had it.
     */
    public Sum sum(String type, String attribute) throws Exception {
        Set<ObjectName> names = server.queryNames(new ObjectName("kafka.streams:type=" + type + ",*"), null);
        double total = 0;
        int found = 0;
        for (ObjectName name : names) {
            try {
                total += ((Number) server.getAttribute(name, attribute)).doubleValue();
                found++;
            } catch (javax.management.AttributeNotFoundException otherSensor) {
                // an MBean of the same type holding other metrics (different tags)
            }
        }
        return new Sum(total, found);
    }

    /**
     * Heap bytes in use right after a full collection: runs {@code java.lang:type=Memory gc()} twice (the second
     * collects what finalisation of the first freed), then reads {@code HeapMemoryUsage.used}.
     */
    public long heapUsedAfterGc() throws Exception {
        ObjectName memory = new ObjectName("java.lang:type=Memory");
        server.invoke(memory, "gc", null, null);
        server.invoke(memory, "gc", null, null);
        javax.management.openmbean.CompositeData usage =
                (javax.management.openmbean.CompositeData) server.getAttribute(memory, "HeapMemoryUsage");
        return ((Number) usage.get("used")).longValue();
    }

    /** A sum over {@code mbeans} MBeans. */
    public record Sum(double total, int mbeans) {
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
