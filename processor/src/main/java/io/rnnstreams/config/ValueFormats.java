package io.rnnstreams.config;

import java.util.Objects;

/**
 * The wire formats of the topology's values and, when either is {@link WireFormat#REGISTRY}, the registry
 * to use. Validated on construction.
 *
 * @param input    format of the sensor topics ({@code rnn.format.input})
 * @param output   format of the predictions topic ({@code rnn.format.output}); dead letters keep the input
 *                 bytes unchanged whatever the format
 * @param registry the schema registry ({@code rnn.registry.url}); required when a format is
 *                 {@code registry}, else may be null (and is then unused)
 */
public record ValueFormats(WireFormat input, WireFormat output, RegistryEndpoint registry) {
    /** Single-object encoding both ways, no registry: the default. */
    public static final ValueFormats SINGLE_OBJECT =
            new ValueFormats(WireFormat.SINGLE_OBJECT, WireFormat.SINGLE_OBJECT, null);

    public ValueFormats {
        Objects.requireNonNull(input, "rnn.format.input");
        Objects.requireNonNull(output, "rnn.format.output");
        if (input == WireFormat.JSON) {
            throw new IllegalArgumentException("rnn.format.input=json is not allowed: must be one of "
                    + WireFormat.inputChoices() + " (json is an output format)");
        }
        if (registry == null && (input == WireFormat.REGISTRY || output == WireFormat.REGISTRY)) {
            String which = input == WireFormat.REGISTRY ? "rnn.format.input" : "rnn.format.output";
            throw new IllegalArgumentException("rnn.registry.url must be set when " + which + "="
                    + WireFormat.REGISTRY.label() + " (the Apicurio Registry server's base URL, e.g. "
                    + "http://localhost:8080)");
        }
    }

    /** Whether a schema registry is used at all. */
    public boolean usesRegistry() {
        return input == WireFormat.REGISTRY || output == WireFormat.REGISTRY;
    }
}
