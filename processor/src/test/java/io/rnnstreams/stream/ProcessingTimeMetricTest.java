package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.rnnstreams.cli.PrometheusMetrics;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelScope;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-record processing-time histogram: one observation per input record, dead letters included, exposed
 * in Prometheus format with its fixed buckets.
 */
class ProcessingTimeMetricTest {
    @TempDir
    Path dir;

    @Test
    void everyRecordIsTimedOnce() throws Exception {
        StreamSettings settings = TopologyFixture.settings(ModelScope.KEY);
        try (PrometheusMetrics prometheus = new PrometheusMetrics()) {
            java.util.Properties props = new java.util.Properties();
            props.put("application.id", "t");
            props.put("bootstrap.servers", "unused:9092");
            props.put("state.dir", dir.toString());
            try (TopologyTestDriver driver = new TopologyTestDriver(
                    ForecastTopology.build(settings, prometheus.registry()),
                    ForecastTopology.streamsProperties(settings, props))) {
                var input = driver.createInputTopic(TopologyFixture.INPUT,
                        new org.apache.kafka.common.serialization.ByteArraySerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer());
                for (int t = 0; t < 30; t++) {
                    input.pipeInput(TopologyFixture.key("s"),
                            TopologyFixture.encode(TopologyFixture.time(t), TopologyFixture.reading(0, t)),
                            TopologyFixture.time(t));
                }
                input.pipeInput(TopologyFixture.key("s"), new byte[] {1, 2, 3}, TopologyFixture.time(40)); // dead letter
            }
            Timer timer = prometheus.registry().get(ProcessorMetrics.PROCESSING_TIME).timer();
            assertEquals(31, timer.count());
            String text = prometheus.scrape();
            Matcher count = Pattern.compile("(?m)^rnn_reading_processing_seconds_count\\{?[^}\\n]*}? (\\S+)$").matcher(text);
            assertTrue(count.find(), text);
            assertEquals(31.0, Double.parseDouble(count.group(1)));
            assertTrue(text.contains("rnn_reading_processing_seconds_bucket{le=\"0.001\"}"), text);
            assertTrue(text.contains("rnn_reading_processing_seconds_bucket{le=\"+Inf\"} 31"), text);
        }
    }
}
