package org.cikqc.gating;

/**
 * Bit-packed event sets: event i of a batch is bit {@code i & 63} of word {@code i >>> 6}. The gating engine keeps
 * every membership and every re-evaluation flag in this form, so parent ANDs, boolean gates and counting work on
 * 64 events per operation. Invariant kept by every writer: bits of events at or beyond the evaluated range's end
 * are zero in its last word (so {@link Long#bitCount} counts exactly). Ranges handed to kernels start at a
 * multiple of 64 (block starts, or 0), so a range's words are never shared with another range.
 */
final class Bits {
    private Bits() { }

    /** Words holding n events. */
    static int words(int n) { return (n + 63) >>> 6; }

    /** The valid bits of the word holding event {@code to - 1} for a range ending at {@code to} (all ones at a word end). */
    static long tail(int to) { return (to & 63) == 0 ? -1L : ~(-1L << to); }

    /** Whether event i is in the set. */
    static boolean get(long[] set, int i) { return (set[i >>> 6] >>> i & 1) != 0; }

    /** Puts event i in the set (value true) or takes it out. */
    static void put(long[] set, int i, boolean value) {
        long bit = 1L << i;
        set[i >>> 6] = value ? set[i >>> 6] | bit : set[i >>> 6] & ~bit;
    }

    /** Events in the set among [from, to), from a multiple of 64, with the tail invariant. */
    static int count(long[] set, int from, int to) {
        int c = 0;
        for (int w = from >>> 6, end = words(to); w < end; w++) c += Long.bitCount(set[w]);
        return c;
    }

    /** {@code out = out & mask} over the words of [from, to). */
    static void and(long[] out, long[] mask, int from, int to) {
        for (int w = from >>> 6, end = words(to); w < end; w++) out[w] &= mask[w];
    }

    /** Clears the words of [from, to). */
    static void clear(long[] set, int from, int to) { java.util.Arrays.fill(set, from >>> 6, words(to), 0L); }

    /** Unpacks events [0, n) into {@code out}. */
    static void unpack(long[] set, int n, boolean[] out) {
        for (int i = 0; i < n; i++) out[i] = (set[i >>> 6] >>> i & 1) != 0;
    }
}
