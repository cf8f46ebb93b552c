package io.rnnstreams.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the Avro records of a topic are framed. */
public enum WireFormat {
    /**
     * Avro's single-object encoding: {@code C3 01}, the 8-byte CRC-64-AVRO fingerprint of the writer schema,
     * the Avro body. Needs no registry; readers must know the writer schema by its fingerprint.
     */
    SINGLE_OBJECT("single-object"),
    /**
     * The schema-registry wire format (Confluent's): byte {@code 0}, the 4-byte schema id in a registry, the
     * Avro body. Needs {@code rnn.registry.url}.
     */
    REGISTRY("registry");

    private final String label;

    WireFormat(String label) {
        this.label = label;
    }

    /** The name in settings: {@code single-object} or {@code registry}. */
    public String label() {
        return label;
    }

    /**
     * The format named {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException saying which names are allowed
     */
    public static WireFormat parse(String text) {
        for (WireFormat f : values()) {
            if (f.label.equalsIgnoreCase(text.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("must be one of " + choices());
    }

    /** The allowed names, comma separated. */
    public static String choices() {
        return Arrays.stream(values()).map(WireFormat::label).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return label;
    }
}
