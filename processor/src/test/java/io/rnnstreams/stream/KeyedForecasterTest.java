package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rnnstreams.accuracy.RnnMethod;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.learner.KeyedForecaster;
import io.rnnstreams.learner.ModelScope;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The accuracy command's in-process RNN ({@link RnnMethod} over {@link KeyedForecaster}, models in memory)
 * forecasts exactly what the topology emits for the same readings in the same order, in both scopes.
 */
class KeyedForecasterTest {
    static final int K = 3;
    static final int N = 120;

    @TempDir
    Path stateDir;

    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void inProcessForecastsAreTheTopologysToTheBit(ModelScope scope) {
        RnnMethod inProcess = new RnnMethod("rnn", scope, TopologyFixture.learner(), 100);
        ModelScope other = scope == ModelScope.KEY ? ModelScope.SHARED : ModelScope.KEY;
        RnnMethod otherScope = new RnnMethod("rnn", other, TopologyFixture.learner(), 100);
        double[][] expected = new double[K * N][];
        double[][] control = new double[K * N][];
        try (TopologyFixture f = new TopologyFixture(TopologyFixture.settings(scope), stateDir)) {
            int i = 0;
            for (int t = 0; t < N; t++) {
                for (int k = 0; k < K; k++) {
                    f.send("sensor-" + k, time(t), reading(k, t));
                    expected[i] = inProcess.observe("sensor-" + k, reading(k, t));
                    control[i] = otherScope.observe("sensor-" + k, reading(k, t));
                    i++;
                }
            }
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            assertEquals(K * N, out.size());
            boolean differs = false;
            for (int j = 0; j < out.size(); j++) {
                assertEquals("sensor-" + (j % K), out.get(j).key());
                Prediction p = TopologyFixture.decode(out.get(j).value());
                double[] emitted = TopologyFixture.forecast(p);
                assertArrayEquals(expected[j], emitted, 0.0, "prediction " + j);
                differs |= !Arrays.equals(control[j], emitted);
            }
            // negative control: the other scope's forecasts differ, so the comparison above can fail
            assertFalse(!differs, "the other scope forecast the same: the test could not tell scopes apart");
        }
    }
}
