package io.rnnstreams.http;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.Settings;

/**
 * The HTTP API's settings ({@code rnn.http.*}), immutable.
 *
 * @param enabled         whether the API is served at all (off by default)
 * @param bind            the address it listens on (loopback by default)
 * @param port            its TCP port; 0 = any free port
 * @param maxForecastSteps the largest {@code steps} a forecast request may ask for
 */
public record HttpSettings(boolean enabled, String bind, int port, int maxForecastSteps) {
    public HttpSettings {
        if (bind == null || bind.isBlank()) {
            throw new IllegalArgumentException("rnn.http.bind must be a host name or address");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("rnn.http.port must be in [0, 65535], got " + port);
        }
        if (maxForecastSteps < 1) {
            throw new IllegalArgumentException("rnn.http.forecast.max-steps must be >= 1, got " + maxForecastSteps);
        }
    }

    public static HttpSettings of(AppConfig config) {
        return new HttpSettings(config.get(Settings.HTTP_ENABLED), config.get(Settings.HTTP_BIND),
                config.get(Settings.HTTP_PORT), config.get(Settings.HTTP_FORECAST_MAX_STEPS));
    }
}
