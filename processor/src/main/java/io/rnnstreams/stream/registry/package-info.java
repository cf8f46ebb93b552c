/**
 * The schema-registry wire format of Kafka values: magic byte {@code 0}, the writer schema's id in the
 * registry (4 bytes, big-endian), then the Avro binary body, as Confluent's serializers write it and
 * Kafka Connect, ksqlDB and {@code kcat -s avro} read it. The alternative to the default single-object
 * encoding ({@link io.rnnstreams.avro.SingleObjectCodec}).
 *
 * <p>{@link io.rnnstreams.stream.registry.RegistrySerde} reads and writes a generated Avro class in that
 * format with Apicurio Registry's Kafka serdes (Maven Central, Java 17), which talk to an Apicurio
 * Registry server ({@link io.rnnstreams.config.RegistryEndpoint}): it registers the class's
 * schema under the subject {@code <topic>-value} when writing, and fetches a writer schema by the id in
 * the message when reading, resolving it to the class's schema (so a producer may add an optional field).
 * The ids it writes are Apicurio content ids, which the server's Confluent-compatible API
 * ({@code /apis/ccompat/v7}) serves as schema ids. {@link io.rnnstreams.stream.registry.RegistryFraming}
 * checks the 5-byte header. ({@link io.rnnstreams.stream.RegistryReadingDeserializer}, the sensor-topic
 * deserializer that turns undecodable values into dead letters, is in {@code stream}, which uses this
 * package, not the other way round.)
 *
 * <p>May import: {@code io.rnnstreams.config}, {@code io.rnnstreams.avro}, Avro, Kafka's serialization API,
 * Apicurio's serdes and schema resolver; not {@code io.rnnstreams.stream}.
 */
package io.rnnstreams.stream.registry;
