package io.rnnstreams.model;

/** The recurrent cell types the engine implements. */
public enum CellType {
    ELMAN, GRU, LSTM;

    /** The cell's gate equations; {@code activation} is used by {@link #ELMAN} only. */
    public RecurrentCell cell(Activation activation) {
        switch (this) {
            case ELMAN:
                return new ElmanCell(activation);
            case GRU:
                return GruCell.INSTANCE;
            case LSTM:
                return LstmCell.INSTANCE;
            default:
                throw new AssertionError(this);
        }
    }
}
