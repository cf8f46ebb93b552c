package io.rnnstreams.stream.registry;

import com.microsoft.kiota.ApiException;
import io.apicurio.registry.resolver.SchemaResolver;
import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.RegistryEndpoint;
import io.rnnstreams.avro.UndecodableRecordException;
import io.rnnstreams.avro.UndecodableRecordException.Reason;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde of the generated Avro class {@code T} in the schema-registry wire format
 * ({@link RegistryFraming}: magic byte 0, 4-byte schema id, Avro binary body), built on Apicurio
 * Registry's {@link AvroKafkaSerializer} and {@link AvroKafkaDeserializer}.
 *
 * <p>Writing registers {@code T}'s schema under the artifact (Confluent: subject) {@code <topic>-value} of
 * the default group, or finds it when already registered, and writes its content id, which is the
 * schema id of the registry's Confluent-compatible API. Reading fetches the writer schema by the id in the
 * message (once per id) and resolves it to {@code T}'s schema ({@link ClassReaderDatumProvider}): a writer
 * schema with fields that {@code T} lacks (an optional field added by a producer) reads fine, the extra
 * fields dropped. The writer schema's record name must be {@code T}'s. {@code null} is a tombstone both
 * ways.
 *
 * <p>Failures when reading: bytes that are not a {@code T} in this format (bad header, an id unknown to the
 * registry, a schema of another record, a body that does not decode) throw
 * {@link UndecodableRecordException}; a registry that cannot be asked throws
 * {@link RegistryUnavailableException}, also when it does not answer within the endpoint's timeout
 * ({@code rnn.registry.timeout}, {@link RegistryHttp}): no call waits for the registry for ever. The serde is
 * configured on construction (a Kafka client's
 * {@code configure} call is not needed and changes nothing); {@link #close()} releases the HTTP clients.
 */
public final class RegistrySerde<T extends SpecificRecord> implements Serde<T> {
    private final Class<T> type;
    private final String registry;
    private final AvroKafkaSerializer<Object> serializer;
    private final AvroKafkaDeserializer<Object> deserializer;
    /** The HTTP client of both, or null with a test resolver. */
    private final RegistryHttp http;
    /** The bound of one request ({@code rnn.registry.timeout}), or null with a test resolver. */
    private final Duration timeout;

    private RegistrySerde(Class<T> type, String registry, AvroKafkaSerializer<Object> serializer,
                          AvroKafkaDeserializer<Object> deserializer, RegistryHttp http, Duration timeout) {
        SingleObjectCodec.of(type); // trusts T and its nested classes (Avro 1.12's class security), as reading needs
        this.type = type;
        this.registry = registry;
        this.serializer = serializer;
        this.deserializer = deserializer;
        this.http = http;
        this.timeout = timeout;
        Map<String, Object> config = config(registry, type);
        serializer.configure(config, false);
        deserializer.configure(config, false);
    }

    /**
     * A serde of {@code type} that talks to the registry at {@code endpoint}, every request bounded by
     * {@code endpoint.timeout()} ({@link RegistryHttp}).
     */
    public static <T extends SpecificRecord> RegistrySerde<T> of(Class<T> type, RegistryEndpoint endpoint) {
        RegistryHttp http = RegistryHttp.of(endpoint);
        return new RegistrySerde<>(type, endpoint.v3Url(), new AvroKafkaSerializer<>(http.facade()),
                new AvroKafkaDeserializer<>(http.facade()), http, endpoint.timeout());
    }

    /** A serde of {@code type} whose schemas come from {@code resolver} instead of a registry (for tests). */
    static <T extends SpecificRecord> RegistrySerde<T> withResolver(Class<T> type,
                                                                    SchemaResolver<Schema, Object> resolver) {
        return new RegistrySerde<>(type, "(test resolver)", new AvroKafkaSerializer<>(resolver),
                new AvroKafkaDeserializer<>(resolver), null, null);
    }

    /**
     * The Apicurio settings, spelled out even where they are Apicurio 3's defaults, since 2.x wrote 8-byte
     * global ids: ids in the payload (no headers), 4 bytes, content ids (= Confluent schema ids).
     */
    private static Map<String, Object> config(String registryUrl, Class<?> type) {
        return Map.of(
                SchemaResolverConfig.REGISTRY_URL, registryUrl,
                SchemaResolverConfig.AUTO_REGISTER_ARTIFACT, true,
                SchemaResolverConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS, "FIND_OR_CREATE_VERSION",
                KafkaSerdeConfig.ENABLE_HEADERS, false,
                SerdeConfig.ID_HANDLER, Default4ByteIdHandler.class.getName(),
                SerdeConfig.USE_ID, IdOption.contentId.name(),
                AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true,
                AvroSerdeConfig.AVRO_DATUM_PROVIDER, ClassReaderDatumProvider.class.getName(),
                ClassReaderDatumProvider.READER_CLASS, type.getName());
    }

    /** The generated class this serde reads and writes. */
    public Class<T> type() {
        return type;
    }

    /** Encodes {@code record} for {@code topic}, registering its schema first if needed. */
    public byte[] encode(String topic, T record) {
        if (record == null) {
            return null;
        }
        long start = System.nanoTime();
        try {
            return serializer.serialize(topic, record);
        } catch (RuntimeException e) {
            if (isRegistryFailure(e)) {
                throw new RegistryUnavailableException("could not register or find the " + type.getName()
                        + " schema for topic " + topic + " in the schema registry at " + registry + why(start) + e, e);
            }
            throw e;
        }
    }

    /**
     * Decodes a message of {@code topic}.
     *
     * @throws UndecodableRecordException   if {@code message} is not a {@code T} in this format
     * @throws RegistryUnavailableException if the registry could not be asked for the writer schema
     */
    public T decode(String topic, byte[] message) {
        if (message == null) {
            return null;
        }
        int schemaId = RegistryFraming.schemaId(message);
        long start = System.nanoTime();
        Object value;
        try {
            value = deserializer.deserialize(topic, message);
        } catch (UndecodableRecordException e) { // from ClassReaderDatumProvider: a record of another name
            throw new UndecodableRecordException(e.reason(), "schema id " + schemaId + ": "
                    + e.getMessage().substring(e.reason().name().length() + 2), e);
        } catch (RuntimeException e) {
            if (isNotFound(e)) {
                throw new UndecodableRecordException(Reason.UNKNOWN_SCHEMA, "schema id " + schemaId
                        + " is not in the schema registry at " + registry, e);
            }
            if (isRegistryFailure(e)) {
                throw new RegistryUnavailableException("could not fetch schema id " + schemaId
                        + " from the schema registry at " + registry + why(start) + e, e);
            }
            Reason reason = causedBy(e, EOFException.class) ? Reason.TRUNCATED : Reason.MALFORMED;
            throw new UndecodableRecordException(reason, "not a " + type.getName() + " written with schema id "
                    + schemaId + ": " + e, e);
        }
        return type.cast(value); // ClassReaderDatumProvider reads into T only
    }

    @Override
    public Serializer<T> serializer() {
        return this::encode;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::decode;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
        if (http != null) {
            http.close();
        }
    }

    /**
     * {@code ": "}, or, when the failed call took at least the request timeout (so its last request was cut by
     * it), {@code ": no answer within rnn.registry.timeout (N ms): "}.
     */
    private String why(long startNanos) {
        if (timeout != null && System.nanoTime() - startNanos >= timeout.toNanos()) {
            return ": no answer within rnn.registry.timeout (" + timeout.toMillis() + " ms): ";
        }
        return ": ";
    }

    /** An HTTP 404 from the registry: the id or the artifact does not exist. */
    private static boolean isNotFound(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ApiException api && api.getResponseStatusCode() == 404) {
                return true;
            }
        }
        return false;
    }

    /**
     * Any other answer or non-answer of the registry: a failed call of {@link RegistryHttp}'s client ({@link
     * RegistryCalls.Failed}, whatever the client threw: an HTTP error, also one whose body it could not parse, no
     * connection, a time-out, a connection closed by the idle time-out), or, from a resolver without it (tests), an
     * HTTP error, no connection or a time-out in the chain.
     */
    private static boolean isRegistryFailure(Throwable e) {
        return causedBy(e, RegistryCalls.Failed.class)
                || causedBy(e, ApiException.class) || causedBy(e, ConnectException.class)
                || causedBy(e, HttpTimeoutException.class) || causedBy(e, TimeoutException.class)
                || causedBy(e, java.net.UnknownHostException.class)
                || (!causedBy(e, EOFException.class) && isHttpClient(e));
    }

    /** Whether an exception in {@code e}'s chain was thrown by an HTTP client rather than by Avro. */
    private static boolean isHttpClient(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String name = c.getClass().getName();
            if (name.startsWith("io.vertx.") || name.startsWith("io.netty.") || name.startsWith("java.net.")
                    || name.startsWith("io.kiota.")) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> kind) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (kind.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
