package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.ModelState;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.Learner;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.Observation;
import io.rnnstreams.model.OnlineForecaster;
import io.rnnstreams.model.SequenceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** rnn.model.init: keys without a stored model start from a model file's weights and optimizer state. */
class WarmStartTest {
    @TempDir
    Path dir;

    private Path trainedModelFile(LearnerConfig config) throws Exception {
        Learner learner = new Learner(config);
        for (int t = 0; t < 500; t++) {
            learner.observe(reading(3, t));
        }
        Path file = dir.resolve("model.avro");
        ModelFile.write(file, StateCodec.modelState(learner.model().exportState(), config.fingerprint()), "test");
        return file;
    }

    private static StreamSettings withInit(ModelScope scope, Path file) {
        StreamSettings s = TopologyFixture.settings(scope);
        return new StreamSettings(s.inputTopics(), null, s.predictionsTopic(), s.deadLetterTopic(), scope, s.learner(),
                1, s.gapReset(), s.gapMultiple(), s.idleRetention(), s.idleScanInterval(), s.maxAbsValue(),
                s.anomaly(), s.modelCacheSize(), file);
    }

    @ParameterizedTest
    @EnumSource(ModelScope.class)
    void newKeysStartFromTheFileAndLearnOnExactlyAsTheEngineDoes(ModelScope scope) throws Exception {
        LearnerConfig config = TopologyFixture.learner();
        Path file = trainedModelFile(config);
        ModelSnapshot snapshot = ModelFile.load(file, config);
        ModelState roundTrip = ModelFile.read(file);
        assertEquals(snapshot.updates(), roundTrip.getUpdates());
        assertTrue(snapshot.updates() > 50, "the file holds a trained model");

        try (TopologyFixture f = new TopologyFixture(withInit(scope, file), dir.resolve("state"))) {
            for (int t = 0; t < 60; t++) {
                f.send("new-sensor", time(t), reading(0, t));
            }
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            Model warm = new Model(config);
            warm.importState(snapshot);
            SequenceState sequence = new SequenceState(config);
            OnlineForecaster forecaster = new OnlineForecaster(config);
            Model cold = new Model(config);
            SequenceState coldSequence = new SequenceState(config);
            boolean differsFromCold = false;
            for (int t = 0; t < 60; t++) {
                Observation o = forecaster.observe(warm, sequence, reading(0, t));
                double[] got = TopologyFixture.forecast(TopologyFixture.decode(out.get(t).value()));
                assertEquals(o.forecast()[0], got[0], 0.0, "reading " + t);
                assertEquals(o.forecast()[1], got[1], 0.0, "reading " + t);
                double[] coldForecast = forecaster.observe(cold, coldSequence, reading(0, t)).forecast();
                differsFromCold |= coldForecast[0] != got[0];
            }
            assertTrue(differsFromCold, "a warm start is not the seeded initialisation");
        }
    }

    @Test
    void aFileThatDoesNotFitFailsAtStartNamingTheSetting() throws Exception {
        LearnerConfig small = LearnerConfig.builder().network(NetworkConfig.builder().inputSize(2).hiddenSizes(4)
                .cellType(CellType.LSTM).build()).k1(4).k2(8).build();
        Path file = trainedModelFile(small);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForecastTopology.build(withInit(ModelScope.KEY, file)));
        assertTrue(e.getMessage().startsWith("rnn.model.init: the model in"), e.getMessage());

        Path garbage = Files.write(dir.resolve("garbage.avro"), new byte[] {1, 2, 3, 4});
        e = assertThrows(IllegalArgumentException.class, () -> ForecastTopology.build(withInit(ModelScope.KEY, garbage)));
        assertTrue(e.getMessage().contains("rnn.model.init") && e.getMessage().contains("garbage.avro"), e.getMessage());
    }
}
