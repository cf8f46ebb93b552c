package io.rnnstreams.stream.registry;

import com.microsoft.kiota.ApiException;
import io.apicurio.registry.resolver.ParsedSchemaImpl;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.resolver.SchemaResolver;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.resolver.strategy.ArtifactReferenceResolverStrategy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;

/**
 * A schema registry in a map, in place of Apicurio's HTTP-backed resolver: content id to schema. Writing
 * finds the record's schema among the registered ones (and fails if it is not there); reading by an
 * unknown id fails like the server does, with an HTTP 404 {@link ApiException}. {@link #failWith} makes
 * every look-up fail with a chosen exception instead.
 */
final class StubSchemaResolver implements SchemaResolver<Schema, Object> {
    private final Map<Long, Schema> byId = new LinkedHashMap<>();
    private Supplier<RuntimeException> failure;

    StubSchemaResolver register(long contentId, Schema schema) {
        byId.put(contentId, schema);
        return this;
    }

    void failWith(Supplier<RuntimeException> failure) {
        this.failure = failure;
    }

    static RuntimeException notFound() {
        return new RuntimeException(new NotFound());
    }

    @Override
    public SchemaLookupResult<Schema> resolveSchema(Record<Object> data) {
        Schema schema = ((GenericContainer) data.payload()).getSchema();
        return byId.entrySet().stream().filter(e -> e.getValue().equals(schema)).findFirst()
                .map(e -> result(e.getKey(), e.getValue()))
                .orElseThrow(() -> new IllegalStateException("not registered: " + schema.getFullName()));
    }

    @Override
    public SchemaLookupResult<Schema> resolveSchemaByArtifactReference(ArtifactReference reference) {
        if (failure != null) {
            throw failure.get();
        }
        Schema schema = byId.get(reference.getContentId());
        if (schema == null) {
            throw notFound();
        }
        return result(reference.getContentId(), schema);
    }

    private static SchemaLookupResult<Schema> result(long contentId, Schema schema) {
        return SchemaLookupResult.<Schema>builder()
                .parsedSchema(new ParsedSchemaImpl<Schema>().setParsedSchema(schema)
                        .setRawSchema(schema.toString().getBytes(StandardCharsets.UTF_8)))
                .contentId(contentId).globalId(contentId).build();
    }

    @Override
    public void setClientFacade(RegistryClientFacade clientFacade) {
    }

    @Override
    public void setArtifactResolverStrategy(ArtifactReferenceResolverStrategy<Schema, Object> strategy) {
    }

    @Override
    public SchemaParser<Schema, Object> getSchemaParser() {
        return null;
    }

    @Override
    public void reset() {
    }

    @Override
    public void close() {
    }

    /** What the HTTP client throws for a 404. */
    static final class NotFound extends ApiException {
        private static final long serialVersionUID = 1L;

        NotFound() {
            super("No content with id found");
            setResponseStatusCode(404);
        }
    }
}
