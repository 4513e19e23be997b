package org.cikqc.autogate;

import java.util.Set;

/**
 * A stretch of acquisition time to exclude, [start, end) in Time-channel units, with the rules that fired.
 *
 * @param start  first excluded time
 * @param end    end of the excluded stretch (exclusive)
 * @param rules  the acquisition-QC rules that flagged it
 * @param detail human explanation (rates or medians against their baselines)
 */
public record TimeInterval(double start, double end, Set<AcquisitionQc.Rule> rules, String detail) {

    public TimeInterval {
        rules = Set.copyOf(rules);
        if (!(end >= start)) throw new IllegalArgumentException("interval end < start");
    }

    /** Whether time t lies in [start, end). */
    public boolean contains(double t) { return t >= start && t < end; }
}
