package org.cikqc.fcs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import org.cikqc.common.Problem;
import org.cikqc.common.Severity;

/**
 * Streams the events of one data set in batches. Memory is bounded by the batch: one byte buffer of
 * {@code batch × eventBytes} (capped at 16 MiB) and one {@link EventBatch} of {@code parameters × batch} doubles,
 * both reused across calls. Not thread-safe; use one reader per thread.
 */
public final class EventReader implements AutoCloseable {

    private static final int MAX_BUFFER_BYTES = 16 << 20;
    /** Bytes read and decoded at a time: small enough to stay in the CPU cache while it is decoded. */
    private static final int CHUNK_BYTES = 256 << 10;

    private final FileChannel ch;
    private final FcsDataSet ds;
    private final DataLayout layout;
    private final ValueKind kind;
    private final long to;
    private final Path path;
    private final EventBatch batch;
    private final byte[] bytes;       // delimited ASCII only
    private final ByteBuffer direct;  // binary: one cache-sized direct buffer, read into without an extra copy
    private final int batchEvents;
    private final int chunkEvents;
    private final DataLayout.Scratch scratch = new DataLayout.Scratch();
    /** Non-finite (NaN, ±Inf) float values read so far, per parameter; the first one's event and parameter. */
    private final long[] nonFinite;
    private long firstNonFiniteEvent = -1;
    private int firstNonFiniteParameter;
    private long next;
    // delimited ASCII state
    private long asciiPos;
    private int asciiLen;
    private int asciiOff;

    EventReader(FileChannel ch, FcsDataSet ds, ValueKind kind, long from, long to, int batchSize, Path path) {
        this.ch = ch;
        this.ds = ds;
        this.layout = ds.layout;
        this.kind = kind;
        this.to = to;
        this.next = from;
        this.path = path;
        int eb = layout.eventBytes;
        long want = Math.max(1, Math.min(batchSize, Math.max(0, to - from)));
        if (eb > 0) want = Math.max(1, Math.min(want, MAX_BUFFER_BYTES / eb));
        this.batchEvents = (int) want;
        this.batch = new EventBatch(layout.parameters, batchEvents);
        this.chunkEvents = eb > 0 ? Math.max(1, Math.min(batchEvents, CHUNK_BYTES / eb)) : 0;
        this.bytes = eb > 0 ? null : new byte[1 << 20];
        this.direct = eb > 0 ? ByteBuffer.allocateDirect(chunkEvents * eb) : null;
        this.asciiPos = ds.dataStart();
        this.nonFinite = new long[layout.parameters];
        if (layout.ascii == DataLayout.Ascii.DELIMITED && from > 0) {
            throw new IllegalArgumentException("delimited ASCII data can only be read from the first event");
        }
    }

    public FcsDataSet dataSet() { return ds; }

    public ValueKind kind() { return kind; }

    /** Events still to come. */
    public long remaining() { return to - next; }

    /**
     * The next batch, or null at the end. The returned batch (and its arrays) is reused by the next call.
     *
     * @throws FcsFormatException when the file turns out shorter than its header said (e.g. it shrank while read)
     */
    public EventBatch next() {
        if (next >= to) return null;
        int n = (int) Math.min(batchEvents, to - next);
        if (layout.ascii == DataLayout.Ascii.DELIMITED) {
            n = readDelimited(n);
        } else {
            readBinary(n);
        }
        if (kind == ValueKind.SCALE) toScale(n);
        batch.reset(n, next);
        next += n;
        return batch;
    }

    private void readBinary(int n) {
        int eb = layout.eventBytes;
        double[][] cols = batch.columns();
        for (int done = 0; done < n; done += chunkEvents) {
            int m = Math.min(chunkEvents, n - done);
            long pos = ds.dataStart() + (next + done) * eb;
            ByteBuffer buf = direct;
            buf.clear();
            buf.limit(m * eb);
            try {
                while (buf.hasRemaining()) {
                    int r = ch.read(buf, pos + buf.position());
                    if (r < 0) throw truncated(pos + buf.position());
                }
            } catch (IOException e) {
                throw new FcsFormatException(path, Problem.at(FcsProblems.IO_ERROR, Severity.ERROR, pos,
                        "I/O error reading DATA: " + org.cikqc.common.IoErrors.describe(e)), e);
            }
            try {
                if (layout.decode(direct, m, cols, done, scratch)) countNonFinite(cols, done, m, next + done);
            } catch (DataLayout.BadAsciiField bad) {
                throw notANumber(bad.field, 0, bad.field.length, bad.parameter, next + done + bad.event,
                        pos + (long) bad.event * eb + layout.offsets[bad.parameter]);
            }
        }
    }

    /** Counts the NaN and ±Inf values of the float parameters in {@code cols[*][at..at+m)} (events from {@code first}). */
    private void countNonFinite(double[][] cols, int at, int m, long first) {
        for (int p = 0; p < layout.parameters; p++) {
            if (!layout.isFloat(p)) continue;
            double[] c = cols[p];
            for (int i = at; i < at + m; i++) {
                if (Math.abs(c[i]) <= Double.MAX_VALUE) continue;
                nonFinite[p]++;
                long event = first + (i - at);
                if (firstNonFiniteEvent < 0 || event < firstNonFiniteEvent
                        || event == firstNonFiniteEvent && p < firstNonFiniteParameter) {
                    firstNonFiniteEvent = event;
                    firstNonFiniteParameter = p;
                }
            }
        }
    }

    /**
     * Defects found in the DATA read so far, beyond those of the header and TEXT ({@link FcsDataSet#problems()}):
     * float values that are NaN or infinite ({@link FcsProblems#NON_FINITE_VALUE}, a WARNING at the first one's byte).
     * No instrument writes them, so the DATA is corrupt; the values are passed on as they are (every comparison with
     * NaN is false, so such events fall outside every gate). Complete once every event has been read.
     */
    public java.util.List<Problem> problems() {
        if (firstNonFiniteEvent < 0) return java.util.List.of();
        long total = 0;
        int params = 0;
        StringBuilder which = new StringBuilder();
        for (int p = 0; p < nonFinite.length; p++) {
            if (nonFinite[p] == 0) continue;
            total += nonFinite[p];
            if (++params <= MAX_PARAMETERS_NAMED) {
                if (which.length() > 0) which.append(", ");
                which.append(String.format(java.util.Locale.ROOT, "$P%d (%s) %,d", p + 1, ds.parameter(p).name(), nonFinite[p]));
            }
        }
        if (params > MAX_PARAMETERS_NAMED) which.append(" and ").append(params - MAX_PARAMETERS_NAMED).append(" more parameters");
        int fp = firstNonFiniteParameter;
        long at = ds.dataStart() + firstNonFiniteEvent * layout.eventBytes + layout.offsets[fp];
        return java.util.List.of(Problem.at(FcsProblems.NON_FINITE_VALUE, Severity.WARNING, at, String.format(
                java.util.Locale.ROOT, "DATA holds %,d non-finite float value%s (NaN or infinity), which no instrument "
                        + "writes, so the DATA is corrupt: %s; the first is $P%d (%s) of event %,d",
                total, total == 1 ? "" : "s", which, fp + 1, ds.parameter(fp).name(), firstNonFiniteEvent + 1)));
    }

    private static final int MAX_PARAMETERS_NAMED = 4;

    /** An ASCII value that is not a number: exit 3 naming the value, the parameter, the event and the byte. */
    private FcsFormatException notANumber(byte[] b, int o, int len, int parameter, long event, long at) {
        String text = TextParser.abbreviate(
                new String(b, o, Math.min(len, 41), java.nio.charset.StandardCharsets.ISO_8859_1));
        FcsParameter fp = ds.parameter(parameter);
        return new FcsFormatException(path, Problem.at(FcsProblems.ASCII_BAD_NUMBER, Severity.ERROR, at,
                "ASCII value '" + text + "' of $P" + (parameter + 1) + " (" + fp.name() + "), event " + (event + 1)
                        + ", is not a number"), null);
    }

    private FcsFormatException truncated(long at) {
        return new FcsFormatException(path, Problem.at(FcsProblems.TRUNCATED_DATA, Severity.ERROR, at,
                "file ended at byte " + at + " while reading DATA (was it truncated after opening?)"), null);
    }

    /** Reads up to n events of delimited ASCII values; returns how many were complete. */
    private int readDelimited(int n) {
        int p = layout.parameters;
        double[][] cols = batch.columns();
        long end = Math.min(ds.dataEnd() + 1, fileLength());
        int got = 0;
        int field = 0;
        try {
            while (got < n) {
                // skip separators
                while (true) {
                    if (asciiOff >= asciiLen && !fill(end)) return finishDelimited(got, field);
                    if (!AsciiNumbers.isSeparator(bytes[asciiOff])) break;
                    asciiOff++;
                }
                // token
                int s = asciiOff;
                while (asciiOff < asciiLen && !AsciiNumbers.isSeparator(bytes[asciiOff])) asciiOff++;
                if (asciiOff >= asciiLen && asciiPos < end) {
                    // token crosses the buffer end: move it to the front and refill
                    int tl = asciiOff - s;
                    System.arraycopy(bytes, s, bytes, 0, tl);
                    asciiLen = tl;
                    asciiOff = tl;
                    s = 0;
                    if (fillAppend(end)) {
                        while (asciiOff < asciiLen && !AsciiNumbers.isSeparator(bytes[asciiOff])) asciiOff++;
                    }
                }
                double v = AsciiNumbers.parse(bytes, s, asciiOff - s);
                if (Double.isNaN(v)) {
                    throw notANumber(bytes, s, asciiOff - s, field, next + got, asciiPos - asciiLen + s);
                }
                cols[field][got] = v;
                if (++field == p) {
                    field = 0;
                    got++;
                }
            }
        } catch (IOException e) {
            throw new FcsFormatException(path, Problem.at(FcsProblems.IO_ERROR, Severity.ERROR, asciiPos,
                    "I/O error reading DATA: " + org.cikqc.common.IoErrors.describe(e)), e);
        }
        return got;
    }

    private int finishDelimited(int got, int field) {
        if (got == 0 && field == 0) {
            throw new FcsFormatException(path, Problem.at(FcsProblems.TRUNCATED_DATA, Severity.ERROR, asciiPos,
                    "delimited ASCII DATA ended after " + next + " of " + to + " events"), null);
        }
        return got;
    }

    private long fileLength() {
        try {
            return ch.size();
        } catch (IOException e) {
            return ds.dataEnd() + 1;
        }
    }

    private boolean fill(long end) throws IOException {
        asciiLen = 0;
        asciiOff = 0;
        return fillAppend(end);
    }

    private boolean fillAppend(long end) throws IOException {
        if (asciiPos >= end) return false;
        int room = bytes.length - asciiLen;
        if (room <= 0) {
            throw new FcsFormatException(path, Problem.at(FcsProblems.ASCII_BAD_NUMBER, Severity.ERROR, asciiPos,
                    "ASCII value longer than " + bytes.length + " bytes"), null);
        }
        int want = (int) Math.min(room, end - asciiPos);
        ByteBuffer buf = ByteBuffer.wrap(bytes, asciiLen, want);
        int r = ch.read(buf, asciiPos);
        if (r <= 0) return false;
        asciiPos += r;
        asciiLen += r;
        return true;
    }

    private void toScale(int n) {
        for (int p = 0; p < layout.parameters; p++) {
            FcsParameter fp = ds.parameter(p);
            double[] c = batch.column(p);
            if (fp.isLog()) {
                double f2 = fp.logOffset() == 0 ? 1.0 : fp.logOffset();
                double k = fp.logDecades() / fp.range();
                for (int i = 0; i < n; i++) c[i] = f2 * Math.pow(10.0, k * c[i]);
            } else if (fp.timestep() > 0) {
                double t = fp.timestep();
                for (int i = 0; i < n; i++) c[i] *= t;
            } else if (fp.gain() != 1.0) {
                double g = fp.gain();
                for (int i = 0; i < n; i++) c[i] /= g;
            }
        }
    }

    @Override
    public void close() {
        // the channel belongs to the FcsFile; nothing of our own to release
        next = to;
    }
}
