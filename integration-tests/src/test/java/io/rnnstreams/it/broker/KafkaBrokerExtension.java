package io.rnnstreams.it.broker;

import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts one {@link KafkaBroker} per test class (before {@code @BeforeAll} methods) and closes it
 * after the class. Tests, constructors and {@code @BeforeAll}/{@code @BeforeEach} methods receive it
 * as a parameter of type {@link KafkaBroker}. {@code @Nested} classes share their outer class's broker. With
 * {@link WithKafkaBroker#containerImage()} set, the broker is a Testcontainers container of that image, and the
 * class is skipped with the reason (printed, and the assumption's message) when no Docker engine answers or the
 * image is missing.
 *
 * <pre>{@code
 * @WithKafkaBroker
 * class MyIT {
 *     @Test void works(KafkaBroker broker) { ... broker.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    private static final String BROKER = "broker";
    private static final String OWNER = "owner";

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(BROKER, KafkaBroker.class) != null) {
            return;   // an enclosing class started one already (Store.get also looks in parent contexts)
        }
        store.put(BROKER, startFor(context.getRequiredTestClass()));
        store.put(OWNER, context.getUniqueId());
    }

    /** The broker that {@code testClass}'s nearest {@link WithKafkaBroker} asks for; aborts the class when unavailable. */
    private static KafkaBroker startFor(Class<?> testClass) {
        String image = AnnotationSupport.findAnnotation(testClass, WithKafkaBroker.class)
                .map(WithKafkaBroker::containerImage).orElse("");
        if (image.isEmpty()) {
            return KafkaBroker.start();
        }
        Optional<String> unavailable = KafkaBroker.containerUnavailable(image);
        if (unavailable.isPresent()) {
            String reason = testClass.getSimpleName() + " needs a broker container from " + image + ": "
                    + unavailable.get();
            System.out.println("SKIP " + reason);
            Assumptions.abort(reason);
        }
        return KafkaBroker.startContainer(image);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (context.getUniqueId().equals(store.get(OWNER, String.class))) {
            KafkaBroker broker = store.remove(BROKER, KafkaBroker.class);
            store.remove(OWNER);
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        KafkaBroker broker = extensionContext.getStore(NAMESPACE).get(BROKER, KafkaBroker.class);
        if (broker == null) {
            throw new ParameterResolutionException("no KafkaBroker: KafkaBrokerExtension starts one per test class "
                    + "(use it on the class, not on a method)");
        }
        return broker;
    }
}
