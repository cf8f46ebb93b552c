package io.rnnstreams.model;

/** Which steps of a window carry a loss. */
public enum LossSteps {
    /** Every step (many-to-many): the window loss is the mean of the per-step losses. */
    ALL,
    /** Only the last step (many-to-one). */
    LAST
}
