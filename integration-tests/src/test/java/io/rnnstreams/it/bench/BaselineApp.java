package io.rnnstreams.it.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The end-to-end benchmark's baseline: the cheapest stateful pass-through topology with the same shape as
 * rnn-streams' (one source, one processor with a persistent, cached, changelogged key-value store, one sink)
 * and the same Kafka Streams settings. Per record it puts a 16-byte value (readings seen, last timestamp)
 * under the record's key and forwards the record unchanged (same key, value bytes and timestamp).
 *
 * <p>Run as its own JVM, like the application: {@code java -cp rnn-streams.jar:test-classes
 * io.rnnstreams.it.BaselineApp input=TOPIC output=TOPIC key=value...}, where every other {@code key=value}
 * is a Kafka Streams setting ({@code application.id}, {@code bootstrap.servers}, {@code state.dir},
 * {@code processing.guarantee}, ...). It logs its state changes as the application does
 * ("Kafka Streams state A -> B") and stops on SIGTERM.
 */
public final class BaselineApp {
    static final String STORE = "baseline-state";

    private BaselineApp() {
    }

    /** source(input) -> put 16 bytes per key -> sink(output); record timestamps pass through. */
    static Topology build(String input, String output) {
        Topology topology = new Topology();
        topology.addSource(AutoOffsetReset.earliest(), "readings", new StringDeserializer(), new ByteArrayDeserializer(),
                input);
        topology.addProcessor("put", PutAndForward::new, "readings");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "put");
        topology.addSink("predictions", output, new StringSerializer(), new ByteArraySerializer(), "put");
        return topology;
    }

    /** Counts the key's records in the store and forwards each record as it came. */
    static final class PutAndForward implements Processor<String, byte[], String, byte[]> {
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            byte[] previous = store.get(record.key());
            long count = previous == null ? 0 : ByteBuffer.wrap(previous).getLong();
            store.put(record.key(), ByteBuffer.allocate(16).putLong(count + 1).putLong(record.timestamp()).array());
            context.forward(record);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("BaselineApp: arguments are key=value, not " + arg);
                System.exit(2);
            }
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String input = settings.remove("input");
        String output = settings.remove("output");
        if (input == null || output == null || !settings.containsKey(StreamsConfig.APPLICATION_ID_CONFIG)
                || !settings.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            System.err.println("BaselineApp: input, output, application.id and bootstrap.servers are required");
            System.exit(2);
        }
        Properties props = new Properties();
        props.putAll(settings);
        KafkaStreams streams = new KafkaStreams(build(input, output), props);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            System.out.println("BaselineApp: Kafka Streams state " + before + " -> " + now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "baseline-shutdown"));
        streams.start();
        stopped.await();
        streams.close(Duration.ofSeconds(30));
    }
}
