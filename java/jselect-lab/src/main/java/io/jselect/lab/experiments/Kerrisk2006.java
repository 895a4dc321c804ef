package io.jselect.lab.experiments;

import io.jselect.lab.experiments.ScalingExperiment.Mechanism;
import java.util.Map;

/**
 * The published figures the scaling experiment is read beside: seconds for 100 000 monitoring operations
 * with one descriptor ready among N, from Michael Kerrisk's LCA 2006 talk on Linux 2.6 (the experiment of
 * <i>The Linux Programming Interface</i>, section 63.4.5, Table 63-9).
 */
public final class Kerrisk2006 {
    /** The N of the published table. */
    public static final int[] FDS = {10, 100, 1000, 10_000};

    private static final Map<Mechanism, double[]> SECONDS_PER_100K = Map.of(
            Mechanism.POLL, new double[] {1.12, 6.8, 157, 1750},
            Mechanism.SELECT, new double[] {1.28, 7.1, 151, 1087},
            Mechanism.EPOLL, new double[] {0.65, 0.68, 0.89, 0.97});

    private Kerrisk2006() {
    }

    /** The published seconds for 100 000 operations of {@code m} at {@code fds}; NaN where none was published. */
    public static double secondsPer100k(Mechanism m, int fds) {
        for (int i = 0; i < FDS.length; i++) {
            if (FDS[i] == fds) {
                return SECONDS_PER_100K.get(m)[i];
            }
        }
        return Double.NaN;
    }
}
