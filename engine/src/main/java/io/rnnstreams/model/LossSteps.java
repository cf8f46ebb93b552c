package io.rnnstreams.model;

/** Which steps of a window carry a loss. */
public enum LossSteps {
    /** Every step (many-to-many): the window loss is the mean of the per-step losses. */
    ALL,
    /** Only the last step (many-to-one). */
    LAST,
    /**
     * The steps pushed since the previous training (the newest {@code k1} of the window, fewer only before
     * the first training), their losses averaged, gradients back-propagated through the whole window: the
     * TBPTT(k1, k2) of Williams and Peng (1990). Every pair carries a loss in exactly one training whatever
     * {@code k1}, so {@code k1 = 1} learns each reading once instead of {@code k2} times; with
     * {@code k1 = k2} it is {@link #ALL}. Outside {@link Model#train} (no push count) it is {@link #ALL}.
     */
    NEWEST;

    /**
     * The loss positions {@code n} of a window with {@code supervised} supervised steps of which {@code pushed}
     * arrived since the previous training: ALL, every supervised step; LAST, the newest; NEWEST, the steps that
     * became supervised since the previous training ({@code min(S, max(1, pushed))}). 0 when no step is supervised.
     */
    public int positions(int supervised, int pushed) {
        if (supervised == 0) {
            return 0;
        }
        return switch (this) {
            case ALL -> supervised;
            case LAST -> 1;
            case NEWEST -> Math.min(supervised, Math.max(1, pushed));
        };
    }
}
