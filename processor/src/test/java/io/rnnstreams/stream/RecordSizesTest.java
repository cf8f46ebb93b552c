package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.ModelState;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.learner.SensorState;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.Learner;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.OptimizerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 12 item 4: settings whose model or key-state record cannot fit the producer's {@code max.request.size}
 * are refused at start-up (exit code 2, naming the Kafka settings to raise); the size bounds hold for real
 * records.
 */
class RecordSizesTest {
    @ParameterizedTest
    @CsvSource({"LSTM, 1, 32, adam", "GRU, 3, 8;5, momentum", "ELMAN, 2, 16, sgd", "LSTM, 4, 7;9;3, adam"})
    void theBoundsHoldForRealRecords(CellType cell, int d, String hidden, String optimizer) {
        int[] sizes = java.util.Arrays.stream(hidden.split(";")).mapToInt(Integer::parseInt).toArray();
        OptimizerConfig opt = switch (optimizer) {
            case "sgd" -> OptimizerConfig.sgd(0.01);
            case "momentum" -> OptimizerConfig.momentum(0.01, 0.9);
            default -> OptimizerConfig.adam(0.01);
        };
        LearnerConfig config = LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(d).hiddenSizes(sizes).cellType(cell).seed(3).build())
                .k1(4).k2(12).optimizer(opt).build();
        Model model = new Model(config);
        assertEquals(model.exportState().parameters().length, RecordSizes.parameterCount(config.network()));
        Learner learner = new Learner(config);
        for (int t = 0; t < 40; t++) {
            double[] x = new double[d];
            java.util.Arrays.fill(x, Math.sin(t * 0.3));
            learner.observe(x);
        }
        byte[] modelBytes = AvroSerde.of(ModelState.class).serializer().serialize("",
                StateCodec.modelState(learner.model().exportState(), config.fingerprint()));
        long modelBound = RecordSizes.modelRecordBytes(config, config.fingerprint());
        assertTrue(modelBytes.length <= modelBound && modelBound - modelBytes.length < 100,
                modelBytes.length + " bytes, bound " + modelBound);
        StreamSettings settings = TopologyFixture.settings(ModelScope.KEY);
        settings = new StreamSettings(settings.inputTopics(), null, settings.predictionsTopic(),
                settings.deadLetterTopic(), ModelScope.KEY, config, 1, settings.gapReset(), settings.gapMultiple(),
                settings.idleRetention(), settings.idleScanInterval(), 1e12, settings.anomaly(), 10, null);
        SensorState sensor = SensorState.first(d);
        byte[] keyBytes = new AvroSerde<>(StateCodec.keyStateCodec()).serializer().serialize("",
                StateCodec.keyState(learner.sequence().exportState(), sensor));
        long keyBound = RecordSizes.keyStateRecordBytes(settings);
        assertTrue(keyBytes.length <= keyBound, keyBytes.length + " bytes, bound " + keyBound);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rnn|rnn.model.hidden=128|a model record would take up to",
        "rnn|rnn.model.channels=1000|a model record would take up to",
        "rnn|rnn.train.k2=70000|a key-state record would take up to",
        "hybrid|rnn.model.hidden=128|a model record would take up to"})
    void settingsWhoseRecordsCannotFitAreRefused(String learner, String setting, String message) {
        String[] kv = setting.split("=");
        Map<String, String> given = new HashMap<>(Map.of(kv[0], kv[1], "rnn.learner", learner));
        AppConfig config = AppConfig.of(given);
        ConfigException e = assertThrows(ConfigException.class,
                () -> ForecastTopology.streamsProperties(config.streamSettings(), config.kafkaProperties()));
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains("max.request.size (1048576)")
                && e.getMessage().contains("message.max.bytes"), e.getMessage());
        // raising the producer's limit (and the broker's) lets it start
        given.put("producer.max.request.size", "8388608");
        AppConfig raised = AppConfig.of(given);
        ForecastTopology.streamsProperties(raised.streamSettings(), raised.kafkaProperties());
        // the defaults fit
        AppConfig defaults = AppConfig.of(Map.of());
        ForecastTopology.streamsProperties(defaults.streamSettings(), defaults.kafkaProperties());
    }

    /**
     * rnn.learner=hybrid: the model record is the hybrid's network (6 inputs per channel with a period), so the
     * limit is reached at a smaller H than the plain RNN's: with LSTM cells H = 102 fits one and not the other; the
     * key-state bound holds for a real hybrid record.
     */
    @org.junit.jupiter.api.Test
    void theHybridsRecordsAreChecked() {
        AppConfig plain = AppConfig.of(Map.of("rnn.model.hidden", "102", "rnn.learner", "rnn"));
        ForecastTopology.streamsProperties(plain.streamSettings(), plain.kafkaProperties());
        // the cell given: the hybrid's default cell is a GRU since h16g, whose 3 gates fit at H = 102
        AppConfig hybrid = AppConfig.of(Map.of("rnn.model.hidden", "102", "rnn.learner", "hybrid",
                "rnn.hybrid.period", "24", "rnn.model.cell", "lstm"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ForecastTopology.streamsProperties(hybrid.streamSettings(), hybrid.kafkaProperties()));
        assertTrue(e.getMessage().contains("a model record would take up to"), e.getMessage());

        StreamSettings settings = AppConfig.of(Map.of("rnn.learner", "hybrid", "rnn.hybrid.period", "24",
                "rnn.model.scope", "shared")).streamSettings();
        io.rnnstreams.learner.HybridForecaster forecaster = new io.rnnstreams.learner.HybridForecaster(
                ModelScope.SHARED, settings.modelConfig(), 24, 8, true,
                io.rnnstreams.learner.ModelRepository.inMemory(), 1);
        io.rnnstreams.learner.HybridForecaster.KeyState state = forecaster.newKey();
        for (int t = 0; t < 200; t++) {
            forecaster.observe("s", state, new double[] {Math.sin(t * 0.3) * 1e6 + t});
        }
        byte[] keyBytes = new AvroSerde<>(StateCodec.keyStateCodec()).serializer().serialize("",
                StateCodec.keyState(forecaster.exportState(state), SensorState.first(1)));
        long keyBound = RecordSizes.keyStateRecordBytes(settings);
        assertTrue(keyBytes.length <= keyBound && keyBound - keyBytes.length < 200,
                keyBytes.length + " bytes, bound " + keyBound);
    }
}
