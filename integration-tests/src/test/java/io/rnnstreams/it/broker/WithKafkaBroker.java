package io.rnnstreams.it.broker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One real Kafka broker for the annotated test class; see {@link KafkaBrokerExtension}. A subclass may annotate
 * itself again with other values: the nearest annotation counts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KafkaBrokerExtension.class)
public @interface WithKafkaBroker {

    /**
     * Empty (default): the broker of {@link KafkaBroker#start()} ({@code rnnstreams.broker.mode}). An image name:
     * the class runs on Testcontainers with that image whatever the mode ({@link KafkaBroker#startContainer}), and is
     * skipped (a failed assumption naming the reason) when {@link KafkaBroker#containerUnavailable} gives one.
     */
    String containerImage() default "";
}
