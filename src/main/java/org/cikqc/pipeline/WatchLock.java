package org.cikqc.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;

/**
 * The exclusive claim of one watcher on an output folder: an OS lock ({@link FileChannel#tryLock()}) on
 * {@code OUT/.cikqc/watch.lock}, held for the watcher's life. A second watcher on the same output (in this or
 * another process, on this host or over a file system that honours locks) fails at start instead of sharing the
 * ledger. The OS releases the lock when the process dies, even by {@code kill -9}, so a stale lock file never
 * blocks a restart. The file's content (who holds it) is informational only; the file is never deleted (deleting
 * a lock file others may be opening is a race).
 */
public final class WatchLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private WatchLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or fails at once.
     *
     * @param file   the lock file (created with its folder when missing)
     * @param holder who takes it (process id, user, host, start time), written into the file for people
     * @throws CikqcException (OUTPUT_IO) when another watcher holds it or the file cannot be opened
     */
    public static WatchLock acquire(Path file, String holder) {
        Path abs = file.toAbsolutePath().normalize();
        FileChannel ch = null;
        try {
            AtomicFiles.createDirectories(abs.getParent());
            ch = AtomicFiles.openCreating(abs);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // held by this JVM already
            }
            if (l == null) {
                String who = readHolder(ch);
                ch.close();
                throw CikqcException.output("another watcher is using this output folder (" + abs + " is locked"
                        + (who.isEmpty() ? "" : " by " + who) + "); two watchers never share an output", null);
            }
            byte[] b = (holder.replaceAll("[\\r\\n]+", " ") + "\n").getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ByteBuffer buf = ByteBuffer.wrap(b);
            long p = 0;
            while (buf.hasRemaining()) p += ch.write(buf, p);
            ch.force(true);
            return new WatchLock(abs, ch, l);
        } catch (IOException e) {
            closeQuietly(ch, e);
            throw CikqcException.outputFailed("cannot lock " + abs, e);
        }
    }

    private static String readHolder(FileChannel ch) {
        try {
            long size = Math.min(ch.size(), 4096);
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            int n;
            do {
                n = ch.read(buf, buf.position());
            } while (n > 0 && buf.hasRemaining());
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return ""; // some platforms refuse to read a locked region: the holder is just not named
        }
    }

    private static void closeQuietly(FileChannel ch, IOException primary) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    /** The lock file. */
    public Path file() { return file; }

    /** Releases the lock (the file stays). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) lock.release();
            channel.close();
        } catch (IOException e) {
            throw CikqcException.outputFailed("cannot release " + file, e);
        }
    }
}
