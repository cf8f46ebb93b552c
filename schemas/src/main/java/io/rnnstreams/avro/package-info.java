/**
 * The persisted and exchanged records: the Avro classes generated from {@code src/main/avro}
 * ({@code SensorReading}, {@code Prediction}, {@code KeyState}, {@code ModelState}), their single-object codec
 * with schema history ({@link io.rnnstreams.avro.SingleObjectCodec}) and the packed little-endian doubles of
 * their vector fields ({@link io.rnnstreams.avro.PackedDoubles}).
 *
 * <p>May import: the JDK and Avro. No other project package (module {@code schemas}); used by {@code stream} and
 * above, never by the engine.
 */
package io.rnnstreams.avro;
