/**
 * The broker harness: {@link io.rnnstreams.it.broker.KafkaBroker} (a facade over a KRaft broker JVM,
 * {@code JvmBroker}, or a Testcontainers container, {@code ContainerBroker}), the JUnit extension that hands it to
 * tests, Admin and client helpers, and the processor run as a separate JVM ({@link io.rnnstreams.it.broker.ProcessorJvm},
 * its JMX and logs), and the schema registry server ({@link io.rnnstreams.it.broker.RegistryServer}, Apicurio
 * Registry as a JVM started the broker's way).
 *
 * <p>May import Kafka clients, Testcontainers and the processor; never {@code io.rnnstreams.it} or
 * {@code io.rnnstreams.it.bench}.
 */
package io.rnnstreams.it.broker;
