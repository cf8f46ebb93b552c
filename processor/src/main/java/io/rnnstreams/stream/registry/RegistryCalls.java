package io.rnnstreams.stream.registry;

import io.apicurio.registry.resolver.client.RegistryArtifactReference;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Apicurio's registry client facade with every failure of a call marked as one: each exception a call throws comes
 * out as a {@link Failed} with it as the cause, so that {@link RegistrySerde} can tell a call of the registry that
 * failed from a record that does not decode whatever the HTTP client threw. That is not only an {@code ApiException},
 * an {@code IOException} or a Vert.x one: an error answer whose body the client cannot parse (a proxy's HTML page
 * with a 404 or a 500, for which Apicurio's client expects its JSON problem details) fails with a plain {@code
 * RuntimeException} ("Content type text/html does not have a factory to be parsed"), which was taken for a malformed
 * record and dead-lettered (branch rev20, {@code RegistryErrorPageTest}). The registry's own 404 stays
 * recognisable: the {@code ApiException} is the cause.
 */
final class RegistryCalls implements RegistryClientFacade {
    /** A call of the registry that failed; the cause is what the client threw. */
    static final class Failed extends RuntimeException {
        Failed(RuntimeException cause) {
            super(cause.toString(), cause);
        }
    }

    private final RegistryClientFacade calls;

    RegistryCalls(RegistryClientFacade calls) {
        this.calls = calls;
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw new Failed(e);
        }
    }

    @Override
    public String getSchemaByContentId(Long contentId) {
        return call(() -> calls.getSchemaByContentId(contentId));
    }

    @Override
    public String getSchemaByGlobalId(long globalId, boolean dereferenced) {
        return call(() -> calls.getSchemaByGlobalId(globalId, dereferenced));
    }

    @Override
    public String getSchemaByGAV(String groupId, String artifactId, String version) {
        return call(() -> calls.getSchemaByGAV(groupId, artifactId, version));
    }

    @Override
    public String getSchemaByContentHash(String contentHash) {
        return call(() -> calls.getSchemaByContentHash(contentHash));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentId(long contentId) {
        return call(() -> calls.getReferencesByContentId(contentId));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGlobalId(long globalId) {
        return call(() -> calls.getReferencesByGlobalId(globalId));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGAV(String groupId, String artifactId, String version) {
        return call(() -> calls.getReferencesByGAV(groupId, artifactId, version));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentHash(String contentHash) {
        return call(() -> calls.getReferencesByContentHash(contentHash));
    }

    @Override
    public List<RegistryVersionCoordinates> searchVersionsByContent(String schemaString, String artifactType,
                                                                    ArtifactReference reference, boolean canonical) {
        return call(() -> calls.searchVersionsByContent(schemaString, artifactType, reference, canonical));
    }

    @Override
    public RegistryVersionCoordinates createSchema(String artifactType, String groupId, String artifactId,
                                                   String version, String autoCreateBehavior, boolean canonical,
                                                   String schemaString,
                                                   Set<RegistryArtifactReference> references) {
        return call(() -> calls.createSchema(artifactType, groupId, artifactId, version, autoCreateBehavior,
                canonical, schemaString, references));
    }

    @Override
    public RegistryVersionCoordinates getVersionCoordinatesByGAV(String groupId, String artifactId, String version) {
        return call(() -> calls.getVersionCoordinatesByGAV(groupId, artifactId, version));
    }

    /** The client itself: calls made on it directly are not marked. */
    @Override
    public Object getClient() {
        return calls.getClient();
    }
}
