package io.rnnstreams.model;

import java.util.Arrays;

/**
 * The recurrent part of the hybrid learner: a network that reads the sensor's standardised readings and
 * forecasts the error that a base forecaster (the learner's linear path) will make on the next reading, the
 * way LSTNet (Lai et al., SIGIR 2018) adds a recurrent network to a linear autoregressive "highway" and
 * ES-RNN (Smyl, 2018) lets a recurrent network learn what exponential smoothing cannot. The forecast is
 * {@code base + correction}; how much of the correction is used is decided outside, by recent errors.
 *
 * <p>Per reading {@code x(t)} of a sequence, given {@code r(t) = x(t) - base(t-1)}, the base's error on it
 * (absent for the sequence's first reading):
 * <ol>
 *   <li>standardise the step's inputs ({@code x(t)} and the auxiliary inputs the caller chose, e.g. the
 *       base's last error and its members' forecasts) with the sequence's running means and variances:
 *       {@code z(t)};</li>
 *   <li>standardise {@code r(t)} with the running mean and variance of the residuals (a second
 *       {@link Normaliser}): {@code u(t)}, the target of the pair {@code (z(t-1), u(t))} pushed onto the
 *       TBPTT window; train every {@code k1} pushes ({@link Model#train}, exact BPTT over the window);</li>
 *   <li>advance the recurrent state one step with {@code z(t)}; the head's output {@code o(t)}, taken back
 *       to the residual's units, is the correction of {@code base(t)}:
 *       {@code c(t) = mean_r + std_r o(t)}. While fewer than two residuals were seen it is 0.</li>
 * </ol>
 * The network therefore sees the raw signal (so it can learn a nonlinear map the linear path cannot) and
 * learns only what the linear path gets wrong; its head starts at zero, so a fresh model corrects nothing.
 * A correction that is not finite is 0, and a state that overflows starts afresh (as in
 * {@link OnlineForecaster}).
 *
 * <p>Stateless apart from scratch arrays: the model, the sequence state and the residual normaliser are
 * passed in, so one instance serves many keys and one model can be shared by them. Not thread-safe.
 */
public final class ResidualCorrector {
    private final int channels;
    private final int inputSize;
    private final double[] input;
    private final double[] output;
    private final double[] target;
    private final double[] mixed;
    private final double[] members;
    private final int mixtureMembers;
    private final boolean anchored;

    /** Trains from the window's anchor, as {@link Model#train} keeps it. */
    public ResidualCorrector(LearnerConfig config) {
        this(config, true);
    }

    /**
     * @param config   the network's configuration: {@code D} inputs and {@code D} outputs; its
     *                 {@code residual} flag must be true so a fresh model's head is zero
     * @param anchored false: every training starts from a zero recurrent state (the anchor is zeroed after
     *                 each training), so a key's state need not keep the anchor
     */
    public ResidualCorrector(LearnerConfig config, boolean anchored) {
        this.anchored = anchored;
        if (!config.residual()) {
            throw new IllegalArgumentException("the residual corrector needs a zero-initialised head: "
                    + "configure residual = true");
        }
        this.channels = config.forecastChannels();
        this.inputSize = config.channels();
        this.mixtureMembers = config.mixtureMembers();
        this.input = new double[inputSize];
        this.output = new double[config.network().outputSize()];
        this.target = new double[config.targetSize()];
        this.mixed = new double[channels];
        this.members = new double[channels * mixtureMembers];
    }

    /**
     * What one reading did.
     *
     * @param correction the correction of the base's forecast of the next reading, in the reading's units
     * @param trained    whether the model trained on this reading's window
     */
    public record Step(double[] correction, boolean trained) {
    }

    /**
     * Observes reading {@code x(t)} of {@code sequence}.
     *
     * @param residuals the sequence's residual normaliser ({@code D} channels)
     * @param inputs    what the network reads at this step, standardised here: {@code x(t)} ({@code D} finite
     *                  values) followed by the configuration's auxiliary inputs ({@code a D} finite values)
     * @param residual  {@code x(t) - base(t-1)}, or null for the sequence's first reading
     */
    public Step observe(Model model, SequenceState sequence, Normaliser residuals, double[] inputs,
                        double[] residual) {
        return observe(model, sequence, residuals, inputs, residual, null, null);
    }

    /**
     * As {@link #observe(Model, SequenceState, Normaliser, double[], double[])}, for a network that mixes
     * {@code K = mixtureMembers} members ({@link Loss#MIXTURE_HUBER}): each pair's target is {@code u(t)} followed
     * by the members' disagreements with the base about {@code x(t)}, made at {@code t-1}, in units of the residual
     * normaliser's spread; the correction is {@code mean_r + std_r o(t) + sum_j w_j d_j(t)} with the network's
     * softmax weights {@code w} over the base ({@code d_0 = 0}) and the members.
     *
     * @param lastDisagreements {@code f_j(t-1) - base(t-1)}, the members' forecasts of {@code x(t)} less the base's,
     *                          {@code D K} channel by channel (null with the residual, or without a mixture)
     * @param disagreements     {@code f_j(t) - base(t)}, about {@code x(t+1)}, {@code D K} channel by channel
     *                          (null without a mixture)
     */
    public Step observe(Model model, SequenceState sequence, Normaliser residuals, double[] inputs,
                        double[] residual, double[] lastDisagreements, double[] disagreements) {
        if (mixtureMembers > 0 && (disagreements == null || residual != null && lastDisagreements == null)) {
            throw new IllegalArgumentException("a mixture of " + mixtureMembers + " members needs their disagreements");
        }
        sequence.normaliser.update(inputs);
        sequence.normaliser.normalise(inputs, input);
        boolean trained = false;
        if (residual != null && sequence.hasLastInput) {
            residuals.update(residual);
            residuals.normalise(residual, target);
            for (int i = 0; i < channels * mixtureMembers; i++) {
                target[channels + i] = lastDisagreements[i] / residuals.std(i / mixtureMembers);
            }
            if (sequence.window.push(sequence.lastInput, target)) {
                model.train(sequence.window);
                if (!anchored) {
                    Arrays.fill(sequence.window.anchor, 0.0);
                }
                trained = true;
            }
        }
        Network network = model.network();
        network.step(sequence.hiddenState, input, output);
        if (!Model.allFinite(sequence.hiddenState) || !Model.allFinite(output)) {
            Arrays.fill(sequence.hiddenState, 0.0);
            network.step(sequence.hiddenState, input, output);
            if (!Model.allFinite(sequence.hiddenState)) {
                Arrays.fill(sequence.hiddenState, 0.0);
            }
        }
        double[] correction = new double[channels];
        if (residuals.count() >= 2) {
            if (mixtureMembers > 0) {
                for (int i = 0; i < members.length; i++) {
                    members[i] = disagreements[i] / residuals.std(i / mixtureMembers);
                }
                Loss.mixture(output, members, mixed);
                residuals.denormalise(mixed, correction);
            } else {
                residuals.denormalise(output, correction);
            }
            for (int i = 0; i < channels; i++) {
                if (!Double.isFinite(correction[i])) {
                    correction[i] = 0.0;
                }
            }
        }
        System.arraycopy(input, 0, sequence.lastInput, 0, inputSize);
        sequence.hasLastInput = true;
        System.arraycopy(correction, 0, sequence.lastForecast, 0, channels);
        sequence.readings++;
        return new Step(correction, trained);
    }
}
