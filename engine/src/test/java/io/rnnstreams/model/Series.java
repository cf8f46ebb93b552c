package io.rnnstreams.model;

import java.util.SplittableRandom;

/** Generated series with known structure, for learning tests. */
public final class Series {
    private Series() {
    }

    /** {@code sin(2 pi t / period) + N(0, sigma^2)}. */
    static double[] noisySine(int n, double period, double sigma, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = Math.sin(2 * Math.PI * t / period) + sigma * gaussian(random);
        }
        return x;
    }

    /**
     * Mackey-Glass {@code dx/dt = 0.2 x(t-tau) / (1 + x(t-tau)^10) - 0.1 x(t)}, tau = 17, integrated with
     * RK4 at step 0.1 (delayed term held over the step), sampled every time unit after a 500-unit burn-in.
     */
    static double[] mackeyGlass(int n) {
        double dt = 0.1;
        int perUnit = 10;
        int delay = 170; // tau / dt
        int burnIn = 500 * perUnit;
        int total = burnIn + n * perUnit + 1;
        double[] h = new double[total + delay];
        for (int i = 0; i <= delay; i++) {
            h[i] = 1.2;
        }
        for (int i = delay; i < total + delay - 1; i++) {
            double lag = h[i - delay];
            double lagNext = h[i - delay + 1];
            double lagMid = 0.5 * (lag + lagNext);
            double x = h[i];
            double k1 = f(x, lag);
            double k2 = f(x + 0.5 * dt * k1, lagMid);
            double k3 = f(x + 0.5 * dt * k2, lagMid);
            double k4 = f(x + dt * k3, lagNext);
            h[i + 1] = x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        double[] out = new double[n];
        for (int t = 0; t < n; t++) {
            out[t] = h[delay + burnIn + t * perUnit];
        }
        return out;
    }

    private static double f(double x, double lag) {
        return 0.2 * lag / (1 + Math.pow(lag, 10)) - 0.1 * x;
    }

    public static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
