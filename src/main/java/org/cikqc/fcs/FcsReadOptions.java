package org.cikqc.fcs;

/**
 * How to read: STRICT refuses any defect; LENIENT (the default) applies named repairs and records them.
 *
 * @param stringency STRICT or LENIENT
 * @param batchSize  events per {@link EventBatch} (bounded memory: parameters × batchSize doubles)
 * @param verifyCrc  whether to compute and compare the FCS 3.x CRC-16 trailer when one is present
 */
public record FcsReadOptions(Stringency stringency, int batchSize, boolean verifyCrc) {

    public enum Stringency { STRICT, LENIENT }

    public static final int DEFAULT_BATCH = 32_768;

    public static final FcsReadOptions LENIENT = new FcsReadOptions(Stringency.LENIENT, DEFAULT_BATCH, true);
    public static final FcsReadOptions STRICT = new FcsReadOptions(Stringency.STRICT, DEFAULT_BATCH, true);

    public FcsReadOptions {
        if (batchSize < 1 || batchSize > 16_777_216) throw new IllegalArgumentException("batchSize out of range: " + batchSize);
    }

    public boolean strict() { return stringency == Stringency.STRICT; }

    public FcsReadOptions withBatchSize(int n) { return new FcsReadOptions(stringency, n, verifyCrc); }
}
