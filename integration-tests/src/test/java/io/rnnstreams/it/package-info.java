/**
 * The integration tests themselves ({@code *IT}, run by maven-failsafe-plugin in {@code mvn verify}) and the test
 * data they share ({@link io.rnnstreams.it.SensorFeed}, {@link io.rnnstreams.it.ReadingStream},
 * {@link io.rnnstreams.it.DriverRun}, {@link io.rnnstreams.it.StateUpgradeFixture}).
 *
 * <p>May import {@code io.rnnstreams.it.broker} and the processor; nothing imports this package.
 */
package io.rnnstreams.it;
