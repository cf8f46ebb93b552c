package io.rnnstreams.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegistryEndpointTest {

    @Test
    void theBaseUrlGivesBothApis() {
        RegistryEndpoint endpoint = RegistryEndpoint.parse("http://127.0.0.1:8081/");

        assertEquals("http://127.0.0.1:8081", endpoint.toString());
        assertEquals("http://127.0.0.1:8081/apis/registry/v3", endpoint.v3Url());
        assertEquals("http://127.0.0.1:8081/apis/ccompat/v7", endpoint.confluentUrl());
    }

    @Test
    void theV3UrlIsTakenForTheBaseAndAPathPrefixIsKept() {
        assertEquals("https://reg.example/registry",
                RegistryEndpoint.parse("https://reg.example/registry/apis/registry/v3/").toString());
    }

    @Test
    void theTimeoutIsTenSecondsByDefaultAndBoundedBothWays() {
        RegistryEndpoint endpoint = RegistryEndpoint.parse("http://h:1");

        assertEquals(java.time.Duration.ofSeconds(10), endpoint.timeout());
        assertEquals(java.time.Duration.ofMillis(100), endpoint.withTimeout(java.time.Duration.ofMillis(100)).timeout());
        assertEquals(endpoint.base(), endpoint.withTimeout(java.time.Duration.ofMinutes(2)).base());
        IllegalArgumentException shortest = assertThrows(IllegalArgumentException.class,
                () -> endpoint.withTimeout(java.time.Duration.ofMillis(99)));
        assertEquals("the timeout must be a duration from 100ms to 2m (e.g. 10s, PT30S), got PT0.099S",
                shortest.getMessage());
        assertThrows(IllegalArgumentException.class, () -> endpoint.withTimeout(java.time.Duration.ofSeconds(121)));
    }

    @Test
    void badUrlsAreRefusedSayingWhy() {
        assertMessage("got nothing", "  ");
        assertMessage("http:// or https://", "127.0.0.1:8081");
        assertMessage("must name a host", "http:///x");
        assertMessage("no query or fragment", "http://h:1?x=1");
        assertMessage("base URL (http://h:1): the serdes use Apicurio's v3 API under it, not /apis/ccompat/v7",
                "http://h:1/apis/ccompat/v7");
        assertMessage("not /apis/registry/v2", "http://h:1/apis/registry/v2");
        assertMessage("is not a URL", "http://h :1");
    }

    private static void assertMessage(String expected, String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RegistryEndpoint.parse(url));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
