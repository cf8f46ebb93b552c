package io.rnnstreams.it.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
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
        java.util.List<Double> values = values(type, attribute);
        return new Sum(values.stream().mapToDouble(Double::doubleValue).sum(), values.size());
    }

    /**
     * The largest value of the numeric attribute {@code attribute} over every MBean {@code kafka.streams:type=TYPE,*}
     * that has it, and how many had it (total 0 and 0 MBeans if none has it). For a figure every MBean reports whole,
     * such as a RocksDB store's {@code block-cache-usage} when all stores share one cache (each store reports the
     * shared cache's usage, so their sum would count it once per store).
     */
    public Sum max(String type, String attribute) throws Exception {
        java.util.List<Double> values = values(type, attribute);
        return new Sum(values.stream().mapToDouble(Double::doubleValue).max().orElse(0), values.size());
    }

    /** The numeric attribute {@code attribute} of every MBean {@code kafka.streams:type=TYPE,*} that has it. */
    private java.util.List<Double> values(String type, String attribute) throws Exception {
        Set<ObjectName> names = server.queryNames(new ObjectName("kafka.streams:type=" + type + ",*"), null);
        java.util.List<Double> values = new java.util.ArrayList<>();
        for (ObjectName name : names) {
            try {
                values.add(((Number) server.getAttribute(name, attribute)).doubleValue());
            } catch (javax.management.AttributeNotFoundException otherSensor) {
                // an MBean of the same type holding other metrics (different tags)
            }
        }
        return values;
    }

    /**
     * Heap bytes in use right after a full collection, as the collector itself reports them: runs
     * {@code java.lang:type=Memory gc()} twice (the second collects what finalisation of the first freed), then
     * of every {@code java.lang:type=GarbageCollector} MBean's {@code LastGcInfo} takes the one that ended last and
     * sums its {@code memoryUsageAfterGc} over the heap's memory pools.
     *
     * <p>Not {@code HeapMemoryUsage.used} read after the collection: that also counts what the application's
     * threads took since, in G1 whole 1 MiB regions for their allocation buffers. In a 17 MB soak it read exactly
     * 1,048,576 B above this figure at each of three points, and a step of one or two such regions between two
     * points is 6-12 % of the heap.
     */
    public long heapUsedAfterGc() throws Exception {
        ObjectName memory = new ObjectName("java.lang:type=Memory");
        server.invoke(memory, "gc", null, null);
        server.invoke(memory, "gc", null, null);
        Set<String> heapPools = new java.util.HashSet<>();
        for (ObjectName pool : server.queryNames(new ObjectName("java.lang:type=MemoryPool,*"), null)) {
            if ("HEAP".equals(String.valueOf(server.getAttribute(pool, "Type")))) {
                heapPools.add((String) server.getAttribute(pool, "Name"));
            }
        }
        CompositeData last = null;
        for (ObjectName gc : server.queryNames(new ObjectName("java.lang:type=GarbageCollector,*"), null)) {
            CompositeData info = (CompositeData) server.getAttribute(gc, "LastGcInfo");
            if (info != null && (last == null || (Long) info.get("endTime") > (Long) last.get("endTime"))) {
                last = info;
            }
        }
        if (last == null) {
            throw new IllegalStateException("no collector reports a last collection after gc()");
        }
        long used = 0;
        for (Object row : ((TabularData) last.get("memoryUsageAfterGc")).values()) {
            CompositeData pool = (CompositeData) row;
            if (heapPools.contains((String) pool.get("key"))) {
                used += (Long) ((CompositeData) pool.get("value")).get("used");
            }
        }
        return used;
    }

    /**
     * Returns the C heap's free memory to the system ({@code jcmd System.trim_native_heap}, glibc's
     * {@code malloc_trim}, through the {@code com.sun.management:type=DiagnosticCommand} MBean) and the JVM's own
     * report of it, such as {@code "Trim native heap: RSS+Swap: 470228K->452112K (-18116K)"}. After it the resident
     * set counts the native memory in use, not also what was freed and kept by the allocator for reuse.
     */
    public String trimNativeHeap() throws Exception {
        Object out = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                new Object[] {null}, new String[] {String[].class.getName()});
        return String.valueOf(out).trim();
    }

    /** A sum (or, from {@link #max}, the largest value) over {@code mbeans} MBeans. */
    public record Sum(double total, int mbeans) {
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
