package io.rnnstreams.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rnn.format.input, rnn.format.output, rnn.registry.url and rnn.registry.timeout, as AppConfig reads and checks them. */
class WireFormatSettingsTest {

    private static AppConfig load(String... sets) {
        return AppConfig.load(null, Map.of(), List.of(sets));
    }

    private static String onlyError(String... sets) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(sets));
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    @Test
    void singleObjectBothWaysWithoutARegistryByDefault() {
        ValueFormats formats = load().streamSettings().formats();

        assertEquals(ValueFormats.SINGLE_OBJECT, formats);
        assertEquals(false, formats.usesRegistry());
    }

    @Test
    void eachDirectionIsChosenOnItsOwn() {
        ValueFormats formats = load("rnn.format.input=registry", "rnn.registry.url=http://registry:8080/")
                .streamSettings().formats();

        assertEquals(WireFormat.REGISTRY, formats.input());
        assertEquals(WireFormat.SINGLE_OBJECT, formats.output());
        assertEquals("http://registry:8080/apis/registry/v3", formats.registry().v3Url());
    }

    @Test
    void theRegistryTimeoutIsTenSecondsUnlessSetAndGoesWithTheEndpoint() {
        assertEquals(Duration.ofSeconds(10), load("rnn.format.input=registry", "rnn.registry.url=http://r:8080")
                .streamSettings().formats().registry().timeout());
        assertEquals(Duration.ofMillis(1500), load("rnn.format.input=registry", "rnn.registry.url=http://r:8080",
                "rnn.registry.timeout=1500ms").streamSettings().formats().registry().timeout());
        assertEquals(Duration.ofMinutes(2), load("rnn.format.output=registry", "rnn.registry.url=http://r:8080",
                "rnn.registry.timeout=PT2M").streamSettings().formats().registry().timeout());
    }

    @Test
    void aRegistryTimeoutOutOfRangeNamesTheSettingTheValueAndWhatIsAllowed() {
        for (String bad : List.of("0s", "50ms", "3m", "-1s", "soon")) {
            assertEquals("rnn.registry.timeout: invalid value '" + bad + "' (from --set): must be a duration from "
                    + "100ms to 2m (e.g. 10s, PT30S)", onlyError("rnn.format.input=registry",
                    "rnn.registry.url=http://r:8080", "rnn.registry.timeout=" + bad));
        }
        assertTrue(load("rnn.registry.timeout=5s").warnings().contains("rnn.registry.timeout is ignored: "
                + "rnn.registry.url is not set"), load("rnn.registry.timeout=5s").warnings().toString());
    }

    @Test
    void aRegistryFormatWithoutAUrlNamesTheSettingToSet() {
        assertEquals("rnn.registry.url must be set when rnn.format.output=registry (the Apicurio Registry server's "
                + "base URL, e.g. http://localhost:8080)", onlyError("rnn.format.output=registry"));
    }

    @Test
    void aBadUrlOrFormatNamesTheSettingTheValueAndWhatIsAllowed() {
        assertEquals("rnn.registry.url: invalid value 'registry:8080' (from --set): must be an http:// or https:// "
                + "URL, e.g. http://localhost:8080; got 'registry:8080'", onlyError("rnn.format.input=registry",
                "rnn.registry.url=registry:8080"));
        assertTrue(onlyError("rnn.format.input=registry", "rnn.registry.url=http://r:8081/apis/ccompat/v7")
                .contains("must be the server's base URL (http://r:8081)"));
        assertEquals("rnn.format.input: invalid value 'confluent' (from --set): must be one of single-object, "
                + "registry", onlyError("rnn.format.input=confluent"));
    }

    @Test
    void jsonIsAnOutputFormatOnly() {
        assertEquals(WireFormat.JSON, load("rnn.format.output=JSON").streamSettings().formats().output());
        assertEquals("rnn.format.input: invalid value 'json' (from --set): must be one of single-object, registry",
                onlyError("rnn.format.input=json"));
        assertEquals("rnn.format.output: invalid value 'avro' (from --set): must be one of single-object, "
                + "registry, json", onlyError("rnn.format.output=avro"));
        assertThrows(IllegalArgumentException.class,
                () -> new ValueFormats(WireFormat.JSON, WireFormat.SINGLE_OBJECT, null));
    }

    @Test
    void aUrlThatNoFormatUsesIsAWarning() {
        AppConfig config = load("rnn.registry.url=http://registry:8080");

        assertTrue(config.warnings().contains("rnn.registry.url is ignored: neither rnn.format.input nor "
                + "rnn.format.output is registry"), config.warnings().toString());
    }
}
