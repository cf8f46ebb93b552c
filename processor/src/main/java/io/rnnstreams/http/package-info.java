/**
 * The HTTP API beside the stream: per-sensor summaries and forecasts read through
 * {@code stream}'s query interface ({@link io.rnnstreams.stream.SensorQueries}), forwarded to the instance that
 * holds a key, as JSON; health and metrics endpoints ({@link io.rnnstreams.http.ApiServer}); the live page
 * that polls them in a browser ({@code LivePage}: HTML, JavaScript and the vendored chart library uPlot, from
 * the resources under {@code io/rnnstreams/http/live/}).
 *
 * <p>May import: {@code stream}'s query interfaces and what is below it ({@code config}, {@code learner},
 * {@code eval}, {@code model}). Not the tools or {@code cli}.
 */
package io.rnnstreams.http;
