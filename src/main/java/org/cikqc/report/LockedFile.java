package org.cikqc.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.cikqc.common.AtomicFiles;

/**
 * Exclusive access to an append-only line file, for writers in this JVM (a lock per path) and in other processes
 * (an OS file lock on the whole file), plus the byte-level helpers both the audit log and the ledger use.
 *
 * <p>The per-path lock registry is the one piece of static state here: Java's {@link FileChannel#lock()} is held
 * per JVM, so two threads of one JVM must be serialised before asking the OS. Paths are compared after
 * {@code toAbsolutePath().normalize()}; two different names for one file (links) are serialised only by the OS
 * lock, which then throws {@link java.nio.channels.OverlappingFileLockException} instead of waiting. Use one
 * spelling of the path per file.
 */
final class LockedFile {
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private LockedFile() { }

    /** Work done while holding both locks on an open read/write channel. */
    @FunctionalInterface
    interface Action<T> {
        T run(FileChannel ch) throws IOException;
    }

    /** Opens (creating if needed) {@code file}, takes both locks, runs {@code action}, releases them. */
    @SuppressWarnings("try") // the lock is held for the duration of the try block, never referenced
    static <T> T withLock(Path file, Action<T> action) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        jvmLock.lock();
        try {
            Path parent = key.getParent();
            if (parent != null) AtomicFiles.createDirectories(parent);
            boolean created = !Files.exists(key);
            try (FileChannel ch = AtomicFiles.openCreating(key);
                 FileLock lock = ch.lock()) {
                if (created && parent != null) AtomicFiles.fsyncDirectory(parent);
                return action.run(ch);
            }
        } finally {
            jvmLock.unlock();
        }
    }

    /**
     * The end of the file as lines: the last complete line (without its '\n') and any torn bytes after the last
     * '\n'.
     *
     * @param completeEnd file position just after the last '\n' (0 when there is none)
     * @param lastLine    the last complete line without '\n', or null when there is none
     * @param torn        the bytes after the last '\n', or null when the file ends with '\n' (or is empty)
     */
    record Tail(long completeEnd, byte[] lastLine, byte[] torn) { }

    /** Reads the tail of the file, scanning backwards (cost independent of the file length). */
    static Tail tail(FileChannel ch, int maxLine) throws IOException {
        long size = ch.size();
        if (size == 0) return new Tail(0, null, null);
        long lastNl = findNewlineBefore(ch, size, maxLine);
        byte[] torn = null;
        if (lastNl < size - 1) {
            long from = lastNl + 1;
            if (size - from > maxLine) throw new IOException("the last " + (size - from)
                    + " bytes have no line end; this is not a torn append of a line");
            torn = read(ch, from, (int) (size - from));
        }
        if (lastNl < 0) return new Tail(0, null, torn);
        long prevNl = findNewlineBefore(ch, lastNl, maxLine);
        byte[] line = read(ch, prevNl + 1, (int) (lastNl - prevNl - 1));
        return new Tail(lastNl + 1, line, torn);
    }

    /** The position of the last '\n' before {@code end}, or -1; searches at most maxLine + 1 bytes back. */
    private static long findNewlineBefore(FileChannel ch, long end, int maxLine) throws IOException {
        long limit = Math.max(0, end - maxLine - 1L);
        long pos = end;
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (pos > limit) {
            int n = (int) Math.min(buf.capacity(), pos - limit);
            long from = pos - n;
            buf.clear().limit(n);
            readFully(ch, buf, from);
            for (int i = n - 1; i >= 0; i--) if (buf.get(i) == '\n') return from + i;
            pos = from;
        }
        if (limit > 0) throw new IOException("a line longer than " + maxLine + " bytes ends at byte " + end);
        return -1;
    }

    static byte[] read(FileChannel ch, long from, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        readFully(ch, buf, from);
        return Arrays.copyOf(buf.array(), len);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long from) throws IOException {
        long p = from;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) throw new IOException("unexpected end of file at byte " + p);
            p += n;
        }
    }

    /**
     * Writes {@code bytes} at {@code at} (the current end) and forces them to disk. If the write fails, the file is
     * cut back to {@code at}, so no torn line is left behind by a failure this process survives.
     */
    static void appendDurably(FileChannel ch, long at, byte[] bytes) throws IOException {
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            long p = at;
            while (buf.hasRemaining()) p += ch.write(buf, p);
            ch.force(true);
        } catch (IOException e) {
            try {
                ch.truncate(at);
                ch.force(true);
            } catch (IOException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /** Cuts the file to {@code size} and forces that to disk. */
    static void truncate(FileChannel ch, long size) throws IOException {
        ch.truncate(size);
        ch.force(true);
    }
}
