package io.rnnstreams.stream;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.SmootherKeyState;
import io.rnnstreams.learner.SensorState;
import io.rnnstreams.model.CompactState;
import java.util.function.Supplier;

/**
 * A key's state after a reading, as the processor hands it to the key-state store for the commit
 * ({@link PendingWritesStore#putAtCommit}): what the stored {@link KeyState} record is built from, not the record.
 * The record is built (its arrays packed) at most once, when the store writes it before the commit or when the
 * processor reads the key again before that ({@link PendingWritesStore#latest}), and the store encodes it once per
 * commit: a key read many times between two commits is built and encoded once, for its last reading.
 *
 * <p>The parts are not changed once given, until the record is built: the plain RNN's and the encoder-decoder's
 * part is a snapshot made at the reading; the hybrid's exports the learner's own state when the record is built
 * (branch tput18h: a key read n times between commits is exported once), and {@link HeldKeyStates} keeps that state
 * unchanged until then: it changes only at the key's next reading, whose write replaces this one in the store before
 * anything builds it, or when it is reused for another key's restore, before which the held states build this
 * write. The sensor state and the prediction-interval state are the reading's own, which nothing changes until the
 * key's next reading; a held key's next reading takes them over and changes them in place ({@link #sensorState},
 * {@link #predictionIntervalState}: the same figures a decode of the record gives, the record stores doubles to the
 * bit), as it does the learner's state, and for the same reason this write is then never built: that reading's own
 * write replaces it in the store, or, if the reading fails half-way, the processor drops it
 * ({@link PendingWritesStore#dropPending}); a write already built keeps its record, which shares no array with them
 * (branch tput18m: the copies were ~1.5 % of the stream thread at H = 16). Built on the stream thread only.
 */
final class KeyStateWrite implements Supplier<KeyState> {
    /** A learner's state after a reading, as the stored record with the rest of the key's state. */
    @FunctionalInterface
    interface LearnerPart {
        KeyState keyState(SensorState sensor, double[] predictionIntervalState);
    }

    private final LearnerPart learner;
    private final SensorState sensor;
    private final double[] predictionIntervalState;
    private final SmootherKeyState smoother;
    private KeyState built;

    /**
     * @param learner                 the learner's part: a snapshot made at the reading, or (hybrid) its export when called
     * @param sensor                  the sensor state after the reading; not changed afterwards
     * @param predictionIntervalState the prediction intervals' state after the reading; not changed afterwards
     * @param smoother                the smoother's state after the reading, or null when smoothing is off
     */
    KeyStateWrite(LearnerPart learner, SensorState sensor, double[] predictionIntervalState,
                  SmootherKeyState smoother) {
        this.learner = learner;
        this.sensor = sensor;
        this.predictionIntervalState = predictionIntervalState;
        this.smoother = smoother;
    }

    /** The record to store, built on the first call; the same instance after (callers must not change it). */
    @Override
    public KeyState get() {
        if (built == null) {
            KeyState record = learner.keyState(sensor, predictionIntervalState);
            if (smoother != null) {
                record.setSmoother(smoother);
            }
            built = record;
        }
        return built;
    }

    /** The event time of the key's last reading (epoch milliseconds), as the record's {@code lastEventTime}. */
    long lastEventTime() {
        return sensor.lastEventTime();
    }

    /**
     * The sensor state itself (as {@link StateCodec#sensorState} decodes it), for the key's next reading to change in
     * place: this write must not be built after that (see the class comment).
     */
    SensorState sensorState() {
        return sensor;
    }

    /**
     * The prediction intervals' state itself (as {@link StateCodec#predictionIntervalState} decodes it), for the key's
     * next reading to change in place: this write must not be built after that (see the class comment).
     */
    double[] predictionIntervalState() {
        return predictionIntervalState;
    }

    /** The smoother's compact state, or null when none was kept: as {@link StateCodec#smoother(KeyState)}. */
    CompactState smootherState() {
        return smoother == null ? null : StateCodec.smoother(smoother);
    }
}
