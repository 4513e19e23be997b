package org.cikqc.plot;

/**
 * The pseudo-colour ramp of density plots (blue, cyan, green, yellow, red, as FlowJo's "pseudocolor"), applied to
 * log-scaled bin counts: a bin holding 1 event is blue, the fullest bin is red, an empty bin is white.
 */
public final class PseudoColor {
    /** Packed RGB of empty bins. */
    public static final int EMPTY = 0xFFFFFF;

    private static final int[][] STOPS = {
        {0, 0, 255}, {0, 255, 255}, {0, 255, 0}, {255, 255, 0}, {255, 0, 0}
    };

    private PseudoColor() { }

    /** Packed RGB (0xRRGGBB) for a position {@code t} in [0, 1] along the ramp. */
    public static int ramp(double t) {
        double u = Math.max(0, Math.min(1, t)) * (STOPS.length - 1);
        int i = Math.min((int) Math.floor(u), STOPS.length - 2);
        double f = u - i;
        int r = (int) Math.round(STOPS[i][0] + f * (STOPS[i + 1][0] - STOPS[i][0]));
        int g = (int) Math.round(STOPS[i][1] + f * (STOPS[i + 1][1] - STOPS[i][1]));
        int b = (int) Math.round(STOPS[i][2] + f * (STOPS[i + 1][2] - STOPS[i][2]));
        return (r << 16) | (g << 8) | b;
    }

    /** Packed RGB for a bin count, log-scaled against the largest count of the plot. */
    public static int forCount(long count, long maxCount) {
        if (count <= 0) return EMPTY;
        if (maxCount <= 1) return ramp(1.0);
        return ramp(Math.log(count) / Math.log(maxCount));
    }
}
