package org.cikqc.fcs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;
import org.cikqc.common.Severity;
import org.cikqc.common.Sha256;

/**
 * An open FCS file: every data set's metadata, parsed at open time, and streaming access to its events.
 * Reading never loads DATA whole: {@link #events(int, ValueKind)} streams it in batches.
 *
 * <p>Thread-safety: metadata is immutable; each {@link EventReader} uses positional reads on the shared channel,
 * so several readers (e.g. on disjoint event ranges) may run on different threads at once.
 */
public final class FcsFile implements AutoCloseable {

    /** Largest TEXT/supplemental TEXT segment accepted (bytes). */
    static final long MAX_TEXT_BYTES = 256L << 20;

    private final Path path;
    private final FileChannel channel;
    private final long length;
    private final FcsReadOptions options;
    private final List<FcsDataSet> dataSets;

    private FcsFile(Path path, FileChannel channel, long length, FcsReadOptions options, List<FcsDataSet> dataSets) {
        this.path = path;
        this.channel = channel;
        this.length = length;
        this.options = options;
        this.dataSets = List.copyOf(dataSets);
    }

    /** Opens {@code path} with LENIENT options. */
    public static FcsFile open(Path path) {
        return open(path, FcsReadOptions.LENIENT);
    }

    /**
     * Opens {@code path} and parses the HEADER and TEXT of every data set.
     *
     * @throws FcsFormatException when the file cannot be read (or, in STRICT mode, has any defect)
     * @throws CikqcException (INVALID_INPUT) when the file does not exist or cannot be opened
     */
    public static FcsFile open(Path path, FcsReadOptions options) {
        FileChannel ch;
        try {
            org.cikqc.common.RegularFiles.require(path);
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new FcsFormatException(path, Problem.at(FcsProblems.IO_ERROR, Severity.ERROR, -1, "no such file"), e);
        } catch (IOException | SecurityException e) {
            throw new FcsFormatException(path, Problem.at(FcsProblems.IO_ERROR, Severity.ERROR, -1,
                    "cannot open: " + org.cikqc.common.IoErrors.describe(e)), e);
        }
        try {
            long len = ch.size();
            List<FcsDataSet> sets = new HeaderTextParser(ch, len, options).parseAll();
            if (options.strict()) {
                for (FcsDataSet ds : sets) {
                    for (Problem p : ds.problems()) {
                        if (p.severity() != Severity.INFO) throw new FcsFormatException(path, strictRefusal(p), null);
                    }
                }
            }
            return new FcsFile(path, ch, len, options, sets);
        } catch (IOException e) {
            FcsFormatException fe = new FcsFormatException(path, Problem.at(FcsProblems.IO_ERROR, Severity.ERROR, -1,
                    "I/O error while reading: " + org.cikqc.common.IoErrors.describe(e)), e);
            closeAfterFailure(ch, fe);
            throw fe;
        } catch (FcsFormatException e) {
            FcsFormatException named = e.problem() == null ? e : new FcsFormatException(path, e.problem(), e.getCause());
            closeAfterFailure(ch, named);
            throw named;
        } catch (RuntimeException e) {
            closeAfterFailure(ch, e);
            throw e;
        }
    }

    private static void closeAfterFailure(FileChannel ch, Throwable primary) {
        try {
            ch.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    public Path path() { return path; }

    /** File length in bytes. */
    public long length() { return length; }

    public FcsReadOptions options() { return options; }

    public List<FcsDataSet> dataSets() { return dataSets; }

    /** Data set {@code index} (0-based). */
    public FcsDataSet dataSet(int index) {
        if (index < 0 || index >= dataSets.size()) {
            throw CikqcException.input(path + ": data set " + index + " does not exist (the file has " + dataSets.size()
                    + (dataSets.size() == 1 ? ", numbered 0" : ", numbered 0 to " + (dataSets.size() - 1)) + ")");
        }
        return dataSets.get(index);
    }

    /** Streams every event of data set {@code index}. */
    public EventReader events(int index, ValueKind kind) {
        FcsDataSet ds = dataSet(index);
        return events(index, kind, 0, ds.events());
    }

    /** Streams events {@code [from, to)} of data set {@code index} (for parallel reads of disjoint ranges). */
    public EventReader events(int index, ValueKind kind, long from, long to) {
        FcsDataSet ds = dataSet(index);
        if (from < 0 || to > ds.events() || from > to) {
            throw new IllegalArgumentException("event range [" + from + ", " + to + ") outside [0, " + ds.events() + ")");
        }
        return new EventReader(channel, ds, kind, from, to, options.batchSize(), path);
    }

    /** SHA-256 (lowercase hex) of the whole file, streamed. */
    public String sha256() {
        try {
            MessageDigest md = Sha256.newDigest();
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            long pos = 0;
            while (pos < length) {
                buf.clear();
                int n = channel.read(buf, pos);
                if (n < 0) break;
                md.update(buf.array(), 0, n);
                pos += n;
            }
            return Sha256.hex(md);
        } catch (IOException e) {
            throw new FcsFormatException(Problem.at(FcsProblems.IO_ERROR, Severity.ERROR, -1,
                    "I/O error while hashing: " + org.cikqc.common.IoErrors.describe(e)), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw CikqcException.inputFailed("cannot close", e);
        }
    }

    /**
     * A defect as a strict reading reports it: the file is refused, so the lenient reader's repair ("; ignored",
     * "; matrix ignored") is dropped from the message and the refusal is said.
     */
    public static Problem strictRefusal(Problem p) {
        String m = p.message().replaceFirst(";[^;]*\\bignored$", "");
        return new Problem(p.code(), p.severity(), "refused by strict reading: " + m, p.offset(), p.keyword());
    }
}
