package io.rnnstreams.model;

import java.util.List;

/**
 * The truncated-BPTT training step of the models whose window holds readings only, the targets being the window's
 * own later readings ({@link EncoderDecoderModel}, {@link SmootherModel}): the loss positions the pass asks for; if
 * there are none yet, only the push count restarts; else the gradients are zeroed, the pass runs forward and back
 * from the anchor, the anchor moves ({@link TbpttWindow#advanceAnchor}) and the update is applied under the health
 * guard ({@link GuardedUpdate}). Not thread-safe.
 */
final class ReadingWindowTrainer {
    /** A BPTT pass over a window of readings ({@link EncoderDecoderBptt}, {@link FixedLagSmootherBptt}). */
    interface Pass extends TbpttWindow.TrainedPass {
        /** Loss positions of a window of {@code steps} readings of which {@code pushed} are new; 0: none yet. */
        int lossPositions(int steps, int pushed);

        /** The window loss; adds its gradient to the parameters' gradients. */
        double lossAndGradient(double[] anchorState, double[][] inputs, int start, int steps, int lossPositions,
                               double[] dAnchor);
    }

    private final Pass pass;
    private final List<Parameter> parameters;
    private final GuardedUpdate update;
    private double lastLoss = Double.NaN;

    /** Trains {@code parameters} (all that {@code pass} accumulates gradients into) as {@code learner} says. */
    ReadingWindowTrainer(Pass pass, List<Parameter> parameters, LearnerConfig learner) {
        this.pass = pass;
        this.parameters = parameters;
        this.update = new GuardedUpdate(parameters, learner.optimizer(), learner.clipping());
    }

    /** One update on {@code window}; whether it was applied (false: nothing supervised yet, refused or undone). */
    boolean train(TbpttWindow window) {
        int positions = pass.lossPositions(window.count(), window.pushesSinceUpdate());
        if (positions == 0) {
            window.trained(); // nothing supervised yet; the anchor stays (count + k1 <= capacity)
            return false;
        }
        Parameters.zeroGradients(parameters);
        lastLoss = pass.lossAndGradient(window.anchor, window.inputs, window.head(), window.count(), positions, null);
        window.advanceAnchor(pass);
        return update.apply(lastLoss);
    }

    /** The guard, with its counters and the learnable state's export and import. */
    GuardedUpdate update() {
        return update;
    }

    /** Window loss of the last training (NaN before the first). */
    double lastLoss() {
        return lastLoss;
    }
}
