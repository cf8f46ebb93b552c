package io.rnnstreams.eval;

/**
 * The order in which a stream delivers a {@link Dataset}'s readings, as {@link Dataset#sequential} says:
 * interleaved (step 0 of every key, then step 1, ...; a key that has ended is skipped) or one key after the other.
 * A cursor: {@link #next()} moves to the next reading, then {@link #key()} and {@link #step()} name it. Used by
 * every prequential run ({@link Prequential}, {@link HorizonPrequential}).
 */
public final class ReadingOrder {
    private final Dataset data;
    private final int outer;
    private final int inner;
    private int i;
    private int j = -1;
    private int key;
    private int step;

    public ReadingOrder(Dataset data) {
        this.data = data;
        int steps = data.maxLength();
        this.outer = data.sequential() ? data.keys().size() : steps;
        this.inner = data.sequential() ? steps : data.keys().size();
    }

    /** Moves to the next reading; false when every reading has been delivered. */
    public boolean next() {
        while (true) {
            if (++j >= inner) {
                j = 0;
                i++;
            }
            if (i >= outer || inner == 0) {
                return false;
            }
            step = data.sequential() ? j : i;
            key = data.sequential() ? i : j;
            if (step < data.keys().get(key).length()) {
                return true;
            }
        }
    }

    /** The index of the current reading's key in {@link Dataset#keys()}. */
    public int key() {
        return key;
    }

    /** The current reading's step within its key. */
    public int step() {
        return step;
    }
}
