package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rnnstreams.config.StreamLimits;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.Model;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 5 in the topology: the gauge {@value ForecastTopology#MODEL_CACHE_GAUGE} reports the bytes of cached
 * models, which stay within {@code rnn.model.cache-bytes}.
 */
class ModelCacheGaugeTest {
    @TempDir
    Path dir;

    @Test
    void theGaugeReportsTheCachedBytesWithinTheBudget() {
        StreamSettings base = TopologyFixture.settings(ModelScope.KEY);
        long modelBytes = 32L * new Model(base.learner()).network().parameterCount();
        StreamSettings settings = base.withLimits(new StreamLimits(base.limits().maxAhead(),
                base.limits().maxKeyBytes(), 2 * modelBytes, base.limits().heldKeys()));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Properties props = new Properties();
        props.put("application.id", "t");
        props.put("bootstrap.servers", "unused:9092");
        props.put("state.dir", dir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(settings, registry),
                ForecastTopology.streamsProperties(settings, props))) {
            var input = driver.createInputTopic(TopologyFixture.INPUT, new ByteArraySerializer(),
                    new ByteArraySerializer());
            for (int k = 0; k < 3; k++) {
                input.pipeInput(TopologyFixture.key("s" + k), TopologyFixture.encode(TopologyFixture.time(k),
                        TopologyFixture.reading(k, 0)), TopologyFixture.time(k));
                double gauge = registry.get(ForecastTopology.MODEL_CACHE_GAUGE).gauge().value();
                assertEquals(Math.min(k + 1, 2) * modelBytes, gauge, 0.0, "after " + (k + 1) + " keys");
            }
        }
        assertEquals(0.0, registry.get(ForecastTopology.MODEL_CACHE_GAUGE).gauge().value(), 0.0,
                "a closed task returns its bytes");
    }
}
