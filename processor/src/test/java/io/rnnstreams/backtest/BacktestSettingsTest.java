package io.rnnstreams.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.config.ValueFormats;
import io.rnnstreams.config.WireFormat;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The backtest runs the configured model on its own topics. */
class BacktestSettingsTest {

    @Test
    void replacesTheTopicsAndKeepsEverythingElse() throws Exception {
        AppConfig config = AppConfig.of(Map.of("rnn.topic.input.pattern", "sensors-.*", "rnn.model.hidden", "8",
                "rnn.train.k1", "4", "rnn.anomaly.short-window", "5"));
        StreamSettings original = config.streamSettings();
        StreamSettings s = Backtest.backtestSettings(original, BacktestOptions.of("sensors-a"));
        assertEquals(List.of("sensors-a"), s.inputTopics());
        assertNull(s.inputPattern());
        assertEquals("sensors-a-backtest-predictions", s.predictionsTopic());
        assertEquals("sensors-a-backtest-predictions-dead-letters", s.deadLetterTopic());
        Set<String> replaced = Set.of("inputTopics", "inputPattern", "predictionsTopic", "deadLetterTopic",
                "formats");
        for (RecordComponent c : StreamSettings.class.getRecordComponents()) {
            if (!replaced.contains(c.getName())) {
                assertEquals(c.getAccessor().invoke(original), c.getAccessor().invoke(s), c.getName());
            }
        }
        assertEquals(ValueFormats.SINGLE_OBJECT, s.formats());
    }

    /** The backtest reads its own predictions back: they are single-object whatever rnn.format.output says. */
    @Test
    void writesItsOwnPredictionsAsSingleObjectsWhateverTheOutputFormat() {
        StreamSettings original = AppConfig.of(Map.of("rnn.format.output", "json")).streamSettings();
        assertEquals(WireFormat.JSON, original.formats().output());
        StreamSettings s = Backtest.backtestSettings(original, BacktestOptions.of("sensors-a"));
        assertEquals(new ValueFormats(WireFormat.SINGLE_OBJECT, WireFormat.SINGLE_OBJECT, null), s.formats());
    }
}
