package io.rnnstreams.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the values of a topic are framed: the two Avro framings, both ways, and plain JSON, for the predictions
 * topic only ({@link #parseInput} refuses it).
 */
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
    REGISTRY("registry"),
    /**
     * One UTF-8 JSON object per value, the fields named as in the Avro schema (see
     * {@code io.rnnstreams.stream.PredictionJson}): for people and tools without Avro. Output only.
     */
    JSON("json");

    /** The formats a sensor topic may have ({@code rnn.format.input}). */
    private static final WireFormat[] INPUTS = {SINGLE_OBJECT, REGISTRY};

    private final String label;

    WireFormat(String label) {
        this.label = label;
    }

    /** The name in settings: {@code single-object} or {@code registry}. */
    public String label() {
        return label;
    }

    /**
     * The output format named {@code text} (case-insensitive): any of them.
     *
     * @throws IllegalArgumentException saying which names are allowed
     */
    public static WireFormat parse(String text) {
        return parse(text, values());
    }

    /**
     * The input format named {@code text} (case-insensitive): {@code single-object} or {@code registry}.
     *
     * @throws IllegalArgumentException saying which names are allowed
     */
    public static WireFormat parseInput(String text) {
        return parse(text, INPUTS);
    }

    /** The allowed output names, comma separated. */
    public static String choices() {
        return choices(values());
    }

    /** The allowed input names, comma separated. */
    public static String inputChoices() {
        return choices(INPUTS);
    }

    private static WireFormat parse(String text, WireFormat[] allowed) {
        for (WireFormat f : allowed) {
            if (f.label.equalsIgnoreCase(text.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("must be one of " + choices(allowed));
    }

    private static String choices(WireFormat[] formats) {
        return Arrays.stream(formats).map(WireFormat::label).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return label;
    }
}
