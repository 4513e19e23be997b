package org.cikqc.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Crash-safe writing of output files: a reader (or a crash) never sees a half-written file.
 *
 * <p>Single files are written to a temporary sibling ({@code .<name>.<random>.tmp} in the same directory, so the
 * final rename never crosses a file system), flushed to disk with {@code fsync}, renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}, and the directory entry is flushed too. On any failure the temporary
 * file is deleted and an existing target is left untouched.
 *
 * <p>The files of one result are written as a unit with {@link #stageDirectory(Path)}: they go into a hidden
 * staging directory beside the target ({@code .<name>.<random>.staging}), which is renamed into place by
 * {@link Staging#commit()} once everything is written. A sample directory is therefore either complete or absent.
 *
 * <p>Leftovers of a crash (temporary files and staging directories) carry the fixed markers above and can be
 * removed with {@link #removeStaleTemporaries(Path)} when a watcher restarts. A process that is stopped by a signal
 * (Ctrl-C, SIGTERM) removes its own: every temporary file and staging directory is tracked while it exists, and
 * {@link #removeUnfinishedOnExit()} installs the shutdown hook that removes what is left. A directory is first
 * renamed aside and then deleted, so a commit racing with the hook either lands complete or not at all.
 *
 * <p>All methods throw {@link CikqcException} of kind {@link CikqcException.Kind#OUTPUT_IO} on I/O failure.
 * No method refuses to run on a platform without atomic rename: it fails loudly instead of degrading silently.
 */
public final class AtomicFiles {

    /** Suffix of temporary files; see {@link #removeStaleTemporaries(Path)}. */
    public static final String TEMP_SUFFIX = ".tmp";
    /** Suffix of staging directories; see {@link #removeStaleTemporaries(Path)}. */
    public static final String STAGING_SUFFIX = ".staging";

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Temporary files and staging/scratch directories that exist now and are not yet renamed into place. */
    private static final Set<Path> UNFINISHED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean EXIT_HOOK = new AtomicBoolean();
    private static volatile boolean exitCleanupDeferred;
    /** Set by {@link #stopAndRemoveUnfinished()}: no new temporary may be started. */
    private static volatile boolean stopping;

    private AtomicFiles() { }

    /** Writes to an output stream; may throw {@link IOException}, which aborts the write. */
    @FunctionalInterface
    public interface StreamWriter {
        /** Writes the content to {@code out} (do not close it). */
        void write(OutputStream out) throws IOException;
    }

    /** Writes text content (UTF-8). */
    @FunctionalInterface
    public interface TextWriter {
        /** Writes the text to {@code out} (do not close it). */
        void write(java.io.Writer out) throws IOException;
    }

    /** Atomically replaces (or creates) {@code target} with UTF-8 text written through a buffered writer. */
    public static void writeText(Path target, TextWriter writer) {
        write(target, out -> {
            java.io.Writer w = new java.io.BufferedWriter(
                    new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8), 1 << 16);
            writer.write(w);
            w.flush();
        });
    }

    /**
     * Renames {@code from} over {@code to} atomically, falling back to a plain replace where the file system has no
     * atomic rename.
     */
    public static void move(Path from, Path to) throws IOException {
        try {
            java.nio.file.Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            java.nio.file.Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces (or creates) {@code target} with {@code text} encoded as UTF-8. */
    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Atomically replaces (or creates) {@code target} with what {@code writer} writes. If the writer throws, the
     * target is unchanged and no temporary file remains.
     */
    public static void write(Path target, StreamWriter writer) {
        writeVia(target, tmp -> writeAndSync(tmp, writer));
    }

    /** Fills a temporary file given by its path (it does not exist yet); may throw, which aborts the write. */
    @FunctionalInterface
    public interface PathWriter {
        /** Creates and writes {@code tmp}, forced to disk. */
        void write(Path tmp) throws IOException;
    }

    /**
     * Atomically replaces (or creates) {@code target} with the file {@code writer} creates at a temporary sibling
     * path, for writers that need a path rather than a stream (the FCS writer, or a step that must succeed before
     * the target appears). If the writer throws, the target is unchanged and no temporary file remains.
     */
    public static void writeVia(Path target, PathWriter writer) {
        Path abs = replaceable(target);
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            tmp = newTemporary(dir, "." + abs.getFileName() + ".", TEMP_SUFFIX); // refused once stopping
            createDirectories(dir);
            writer.write(tmp);
            moveAtomically(tmp, abs, true);
            untrack(tmp); // renamed into place: nothing left for the exit routine
            tmp = null;
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw writeFailed("cannot write " + abs, tmp, e);
        } finally {
            if (tmp != null) discard(tmp);
        }
    }

    /**
     * OUTPUT_IO for a failed write. When the failure is creating the temporary file itself, the message names its
     * folder rather than the temporary's random name, which the user never asked for: "cannot write /proc/x.csv:
     * /proc accepts no new files", not "/proc/.x.csv.86de9b5051af.tmp: does not exist".
     */
    public static CikqcException writeFailed(String what, Path tmp, IOException e) {
        if (tmp != null && e instanceof FolderRefused r && tmp.toString().equals(r.getFile())) {
            return CikqcException.output(what + ": " + r.why, e); // "/proc accepts no new folders"
        }
        if (tmp != null && e instanceof FileSystemException f && tmp.toString().equals(f.getFile())
                && f.getOtherFile() == null && tmp.getParent() != null && Files.isDirectory(tmp.getParent())) {
            String entry = tmp.toString().endsWith(STAGING_SUFFIX) ? "folder" : "file";
            boolean refused = e instanceof NoSuchFileException || e.getCause() instanceof NoSuchFileException;
            String why = refused ? "accepts no new " + entry + "s"
                    : e instanceof AccessDeniedException ? "is not writable (permission denied)"
                    : "cannot take a new " + entry + ": " + IoErrors.reason(e);
            return CikqcException.output(what + ": " + tmp.getParent() + " " + why, e);
        }
        return CikqcException.outputFailed(what, e);
    }

    /**
     * The absolute target, refused (OUTPUT_IO) when it exists and is not a regular file or a symbolic link: the
     * rename would put a file in place of a folder, a device (as root, /dev/null itself) or a FIFO.
     */
    private static Path replaceable(Path target) {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)
                && !Files.isSymbolicLink(abs)) {
            throw CikqcException.output("cannot write " + abs + ": it exists and is not a regular file"
                    + (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS) ? " but a folder" : " (a device, FIFO or socket)"),
                    null);
        }
        return abs;
    }

    /** Starts replacing several files together; see {@link FileSet}. */
    public static FileSet fileSet() {
        return new FileSet();
    }

    /**
     * Files that belong together (a table and the counts computed with it) replaced as a set: each is written to a
     * temporary sibling and forced to disk, and only when every one is written does {@link #commit()} rename them
     * into place. A failed write (a full disk, a writer that throws) therefore leaves all the targets as they were,
     * never a new one beside an old one; the renames need no space. Closing without commit removes the temporaries.
     * Not thread-safe: one writer fills it.
     */
    public static final class FileSet implements AutoCloseable {
        private final Map<Path, Path> temporaries = new LinkedHashMap<>();
        private final Set<Path> removals = new LinkedHashSet<>();
        private boolean done;

        private FileSet() { }

        /** Writes {@code target}'s new content to its temporary file (replacing one written before in this set). */
        public void write(Path target, StreamWriter writer) {
            checkOpen();
            Path abs = replaceable(target);
            removals.remove(abs);
            Path old = temporaries.remove(abs);
            if (old != null) discard(old);
            Path tmp = newTemporary(abs.getParent(), "." + abs.getFileName() + ".", TEMP_SUFFIX);
            try {
                createDirectories(abs.getParent());
                writeAndSync(tmp, writer);
                temporaries.put(abs, tmp);
                tmp = null;
            } catch (IOException e) {
                throw writeFailed("cannot write " + abs, tmp, e);
            } finally {
                if (tmp != null) discard(tmp);
            }
        }

        /** Writes {@code text} (UTF-8) as {@code target}'s new content. */
        public void writeString(Path target, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            write(target, out -> out.write(bytes));
        }

        /**
         * Removes {@code target}, if it is there, at the commit: a file of an earlier run that must not stay beside
         * this set's files.
         *
         * @return whether the target exists now (and will be removed)
         */
        public boolean remove(Path target) {
            checkOpen();
            Path abs = replaceable(target);
            Path old = temporaries.remove(abs);
            if (old != null) discard(old);
            removals.add(abs);
            return Files.exists(abs, LinkOption.NOFOLLOW_LINKS);
        }

        /** Renames every written file into place, then removes the files given to {@link #remove}. */
        public void commit() {
            checkOpen();
            done = true;
            Set<Path> dirs = new LinkedHashSet<>();
            Path current = null;
            try {
                for (Map.Entry<Path, Path> e : temporaries.entrySet()) {
                    current = e.getKey();
                    moveAtomically(e.getValue(), current, true);
                    untrack(e.getValue());
                    dirs.add(current.getParent());
                }
                for (Path r : removals) {
                    current = r;
                    if (Files.deleteIfExists(r)) dirs.add(r.getParent());
                }
                for (Path d : dirs) fsyncDirectory(d);
            } catch (IOException e) {
                throw CikqcException.outputFailed("cannot put " + current + " in place", e);
            } finally {
                temporaries.values().forEach(AtomicFiles::discardIfTracked);
            }
        }

        /** Removes the temporaries unless the set was committed. */
        @Override
        public void close() {
            if (done) return;
            done = true;
            temporaries.values().forEach(AtomicFiles::discard);
        }

        private void checkOpen() {
            if (done) throw new IllegalStateException("this file set is already committed or closed");
        }
    }

    private static void discard(Path temporary) {
        deleteQuietly(temporary);
        untrack(temporary);
    }

    /** Removes a temporary that a failed commit did not rename (still tracked). */
    private static void discardIfTracked(Path temporary) {
        if (UNFINISHED.contains(temporary.toAbsolutePath())) discard(temporary);
    }

    /**
     * {@link Files#createDirectories}, with a failure that names the folder responsible ({@link #explainNoFolder}):
     * a file or broken link on the way, or a parent that takes no new folders or is not writable.
     */
    public static void createDirectories(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            IOException explained = explainNoFolder(dir, e);
            if (explained != e) explained.initCause(e);
            throw explained;
        }
    }

    /**
     * A folder that could not be created, in words that name the folder responsible: the deepest existing ancestor
     * that is a file ("is not a directory") or a broken link, or the existing parent that refused the new entry
     * ({@code /proc}, {@code /sys}, a read-only mount: "accepts no new folders"; a folder without write permission:
     * "is not writable"). Java names the path it tried and gives the OS text ("Not a directory", "Operation not
     * permitted") or only "already exists". Returns {@code e} itself when no ancestor explains it.
     */
    private static IOException explainNoFolder(Path dir, IOException e) {
        Path abs = dir.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        if (existing == null) return e;
        if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
            String to;
            try {
                to = " to " + Files.readSymbolicLink(existing);
            } catch (IOException | UnsupportedOperationException unreadable) {
                to = "";
            }
            return new FileSystemException(existing.toString(), null, "is a broken link" + to + " (its target does not exist)");
        }
        if (!Files.isDirectory(existing)) return new NotDirectoryException(existing.toString());
        if (existing.equals(abs)) return e; // it exists as a folder: something else failed
        Path made = existing.resolve(abs.getName(existing.getNameCount()).toString());
        String why = e instanceof AccessDeniedException ? existing + " is not writable (permission denied)"
                : e instanceof NoSuchFileException ? existing + " accepts no new folders"
                : existing + " accepts no new folders (" + IoErrors.reason(e).toLowerCase(java.util.Locale.ROOT) + ")";
        return new FolderRefused(made, why);
    }

    /**
     * Opens {@code file} for reading and writing, creating it when missing (a log or lock file appended in place).
     * A folder that takes no new files ({@code /proc}) makes Java say the file "does not exist"; that is said as
     * what it is: "{@code <folder>} accepts no new files".
     */
    public static FileChannel openCreating(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            Path parent = file.getParent();
            if (parent == null || !Files.isDirectory(parent) || Files.exists(file, LinkOption.NOFOLLOW_LINKS)) throw e;
            FileSystemException f = new FileSystemException(file.toString(), null, parent + " accepts no new files");
            f.initCause(e);
            throw f;
        }
    }

    /** A folder its existing parent refused to take: see {@link #explainNoFolder}. */
    private static final class FolderRefused extends FileSystemException {
        private static final long serialVersionUID = 1L;
        private final String why;

        FolderRefused(Path made, String why) {
            super(made.toString(), null, "cannot be created: " + why);
            this.why = why;
        }
    }

    /**
     * A new temporary path {@code dir/prefix<random>suffix}, not created yet and already {@linkplain #track
     * tracked}, so that the exit routine removes whatever is made there; refused (OUTPUT_IO) once the process is
     * stopping. Every writer's temporary file or folder is named here.
     */
    public static Path newTemporary(Path dir, String prefix, String suffix) {
        Path p = dir.toAbsolutePath().resolve(prefix + randomToken() + suffix);
        track(p);
        return p;
    }

    /**
     * Tracks a temporary file or directory that this process is writing and that must not outlive it: if the
     * process is stopped before {@link #untrack} (the path was renamed into place or removed), the exit hook
     * removes it.
     */
    public static void track(Path temporary) {
        checkNotStopping(temporary);
        UNFINISHED.add(temporary.toAbsolutePath());
    }

    /** True once the exit routine has begun ({@link #stopAndRemoveUnfinished}): no new temporary may start. */
    public static boolean isStopping() {
        return stopping;
    }

    private static void checkNotStopping(Path target) {
        if (stopping) throw CikqcException.output("the process is stopping; " + target + " is not written", null);
    }

    /** The temporaries tracked now (tests). */
    static Set<Path> tracked() {
        return Set.copyOf(UNFINISHED);
    }

    /** Stops tracking a temporary (it was renamed into place or deleted). */
    public static void untrack(Path temporary) {
        UNFINISHED.remove(temporary.toAbsolutePath());
    }

    /**
     * Removes every tracked temporary that still exists: a directory is renamed aside first (so a commit that
     * races with this either already happened or fails), then deleted. Never throws. Unlike
     * {@link #stopAndRemoveUnfinished()} it lets new temporaries start afterwards (for tests; the process keeps
     * running).
     *
     * @return the temporaries removed, sorted
     */
    static List<Path> removeUnfinished() {
        List<Path> removed = new ArrayList<>();
        for (Path p : new ArrayList<>(UNFINISHED)) {
            UNFINISHED.remove(p);
            if (removeOne(p)) removed.add(p);
        }
        removed.sort(null);
        return removed;
    }

    /**
     * What the exit hook does: no new temporary may start ({@link #track} then throws), the tracked ones are
     * removed, and for a short while any of them that a writer thread still running re-created (a staging folder's
     * parent is created on demand) is removed again; their names are random, so whatever appears there is ours.
     */
    public static void stopAndRemoveUnfinished() {
        stopping = true;
        Set<Path> seen = new java.util.HashSet<>();
        for (int round = 0; round <= 6; round++) {
            if (round > 0) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            seen.addAll(UNFINISHED);
            for (Path p : seen) removeOne(p);
        }
    }

    /** Removes one temporary (a directory renamed aside first); true when something was removed. Never throws. */
    private static boolean removeOne(Path p) {
        try {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Path aside = p.resolveSibling(p.getFileName() + "." + randomToken() + STAGING_SUFFIX);
                Files.move(p, aside, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(aside);
                return true;
            }
            return Files.deleteIfExists(p);
        } catch (IOException | RuntimeException e) {
            return false; // already renamed into place, or not removable now: a watcher's next start removes it
        }
    }

    /**
     * Installs (once per process) a shutdown hook that calls {@link #stopAndRemoveUnfinished()}, so that a command
     * stopped by SIGINT/SIGTERM leaves no temporary files or staging folders behind.
     */
    public static void removeUnfinishedOnExit() {
        if (EXIT_HOOK.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (!exitCleanupDeferred) stopAndRemoveUnfinished();
            }, "cikqc-remove-temporaries"));
        }
    }

    /**
     * For a command whose own shutdown hook lets running writers finish first (watch): the hook of
     * {@link #removeUnfinishedOnExit()} then does nothing, and the command calls
     * {@link #stopAndRemoveUnfinished()} itself when its writers are done or abandoned.
     */
    public static void deferExitCleanup() {
        exitCleanupDeferred = true;
    }

    /**
     * Starts writing a directory as a unit. Write the files into {@link Staging#directory()} (or with the
     * {@code write} helpers), then call {@link Staging#commit()}; closing without commit removes everything.
     *
     * @param targetDir the directory that will exist, complete, after the commit
     */
    public static Staging stageDirectory(Path targetDir) {
        Path abs = targetDir.toAbsolutePath();
        Path parent = abs.getParent();
        Path staging = newTemporary(parent, "." + abs.getFileName() + ".", STAGING_SUFFIX); // refused once stopping
        try {
            createDirectories(parent);
            Files.createDirectory(staging);
            return new Staging(abs, staging);
        } catch (IOException e) {
            untrack(staging);
            throw writeFailed("cannot create a staging directory for " + abs, staging, e);
        }
    }

    /**
     * Deletes temporary files and staging directories that a crashed writer left directly inside {@code dir}
     * (names starting with '.' and ending with {@value #TEMP_SUFFIX} or {@value #STAGING_SUFFIX}). Call it only
     * when no other writer is active in {@code dir}.
     *
     * @return the paths removed, sorted
     */
    public static List<Path> removeStaleTemporaries(Path dir) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) return removed;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".")) continue;
                if (n.endsWith(TEMP_SUFFIX) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(p);
                    removed.add(p);
                } else if (n.endsWith(STAGING_SUFFIX) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(p);
                    removed.add(p);
                }
            }
        } catch (IOException e) {
            throw CikqcException.outputFailed("cannot clean temporaries in " + dir, e);
        }
        removed.sort(null);
        return removed;
    }

    /**
     * Flushes a directory's entries to disk (POSIX {@code fsync} on the directory), so a rename survives a power
     * loss. Some platforms (Windows) cannot open a directory for this; there the rename is already durable
     * through the file system's own journal and this returns false.
     *
     * @return true when the directory was flushed
     */
    public static boolean fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
            return true;
        } catch (IOException e) {
            if (isWindows()) return false; // directories cannot be opened there; NTFS journals the rename
            throw e;
        }
    }

    /** Writes {@code target} (which must not exist) with {@code writer} and forces it to disk. */
    static void writeAndSync(Path target, StreamWriter writer) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = new java.io.BufferedOutputStream(new UnclosableChannelStream(ch), 1 << 16)) {
            writer.write(out);
            out.flush();
            ch.force(true);
        }
    }

    /**
     * Replaces the existing directory {@code target} by {@code from} (a complete directory in the same folder): the
     * old one is renamed aside ({@code .<name>.<random>.staging}), the new one renamed into place, then the old one
     * deleted. Between the two renames the target is briefly absent, never partial; after a crash there the old copy
     * is still on disk under the aside name.
     *
     * <p>The old directory is checked first: when a folder in it is read-only for this process (an archived
     * result), nothing is moved and a {@link CikqcException} (OUTPUT_IO) names that folder, so a protected copy is
     * never half deleted and a replacement never ends in an error after it was committed. Once the new directory
     * is in place, a failure to delete the old copy (a race, an immutable file) is not an error: the hidden aside
     * copy is left for {@link #removeStaleTemporaries} to remove.
     *
     * @throws IOException when a rename fails (the old directory is then back in place when possible)
     */
    public static void replaceDirectory(Path from, Path target) throws IOException {
        Path readOnly = firstReadOnlyFolder(target);
        if (readOnly != null) {
            throw new CikqcException(CikqcException.Kind.OUTPUT_IO, "cannot replace " + target + ": "
                    + (readOnly.equals(target) ? "the folder" : readOnly) + " is read-only, so the previous copy "
                    + "cannot be removed; it is kept as it was");
        }
        Path aside = target.resolveSibling("." + target.getFileName() + ".replaced-" + randomToken() + STAGING_SUFFIX);
        moveAtomically(target, aside, false);
        try {
            moveAtomically(from, target, false);
        } catch (IOException e) {
            try {
                moveAtomically(aside, target, false);
            } catch (IOException restoreFailure) {
                e.addSuppressed(restoreFailure);
            }
            throw e;
        }
        fsyncDirectory(target.getParent());
        try {
            deleteTree(aside);
        } catch (IOException e) {
            // committed: the hidden old copy is a leftover that removeStaleTemporaries takes away later
        }
    }

    /** The first folder in the tree {@code root} (not following links) whose entries this process cannot remove. */
    private static Path firstReadOnlyFolder(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) return null;
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !Files.isWritable(p) || !Files.isExecutable(p))
                    .sorted().findFirst().orElse(null);
        }
    }

    private static void moveAtomically(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system does not support an atomic rename from " + from + " to " + to, e);
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }

    private static String randomToken() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // The original failure is already being reported; a leftover temp file is removed by
            // removeStaleTemporaries on the next start. Keep the first error as the one the caller sees.
            deleteAtExit(p);
        }
    }

    /**
     * Asks the JVM to delete {@code p} when it exits. Ignored once the JVM is already stopping (the JDK refuses then,
     * with an IllegalStateException that must not turn a leftover into a failure); the exit routine and the next
     * start's {@link #removeStaleTemporaries} remove leftovers.
     */
    public static void deleteAtExit(Path p) {
        try {
            p.toFile().deleteOnExit();
        } catch (IllegalStateException stopping) {
            // shutdown in progress
        }
    }

    /** Deletes a directory and everything in it (deepest entries first, links not followed); absent is fine. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> all = s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
            for (Path p : all) Files.deleteIfExists(p);
        }
    }

    /**
     * A directory being written as a unit; see {@link AtomicFiles#stageDirectory(Path)}. Not thread-safe: one
     * writer fills it.
     */
    public static final class Staging implements AutoCloseable {
        private final Path target;
        private final Path staging;
        private boolean done;

        private Staging(Path target, Path staging) {
            this.target = target;
            this.staging = staging;
        }

        /** The hidden directory the files are written into before the commit. */
        public Path directory() { return staging; }

        /** The final directory. */
        public Path target() { return target; }

        /** Resolves a relative name inside the staging directory, refusing names that escape it. */
        public Path resolve(String relative) {
            Path p = staging.resolve(relative).normalize();
            if (!p.startsWith(staging) || p.equals(staging)) {
                throw new IllegalArgumentException("name escapes the staging directory: " + relative);
            }
            return p;
        }

        /**
         * Writes one file (and its parent folders) inside the staging directory, forced to disk. Only folders below
         * the staging directory are created: once the exit routine has removed the staging directory (the process
         * is stopping), a writer thread still running fails here instead of re-creating it and its parents.
         */
        public Path write(String relative, StreamWriter writer) {
            checkOpen();
            Path p = resolve(relative);
            try {
                checkNotStopping(p);
                createFoldersBelowStaging(p.getParent());
                Files.deleteIfExists(p);
                writeAndSync(p, writer);
                return p;
            } catch (IOException e) {
                throw CikqcException.outputFailed("cannot write " + relative + " for " + target, e);
            }
        }

        /** Creates {@code dir} and the folders between it and the staging directory, which must exist. */
        private void createFoldersBelowStaging(Path dir) throws IOException {
            Path current = staging;
            for (Path part : staging.relativize(dir)) {
                if (part.toString().isEmpty()) continue;
                current = current.resolve(part);
                if (Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) continue;
                Files.createDirectory(current); // NoSuchFileException when the staging directory is gone
            }
        }

        /** Writes bytes to one file inside the staging directory. */
        public Path write(String relative, byte[] bytes) {
            return write(relative, out -> out.write(bytes));
        }

        /** Writes UTF-8 text to one file inside the staging directory. */
        public Path writeString(String relative, String text) {
            return write(relative, text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Renames the staging directory to the target. Fails (and keeps the staging directory for {@link #close()}
         * to remove) if the target already exists: results are records and are not silently overwritten.
         *
         * @return the target directory
         */
        public Path commit() {
            checkOpen();
            try {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(target.toString(), null, "output already exists");
                }
                syncTree(staging);
                moveAtomically(staging, target, false);
                done = true;
                untrack(staging);
                fsyncDirectory(target.getParent());
                return target;
            } catch (IOException e) {
                throw CikqcException.outputFailed("cannot commit " + target, e);
            }
        }

        /**
         * Like {@link #commit()} but replaces an existing target: the old directory is first renamed aside
         * ({@code .<name>.<random>.staging}), the new one renamed into place, then the old one deleted. Between the
         * two renames the target is briefly absent, never partial; after a crash there the old copy is still on
         * disk under the aside name.
         *
         * @return the target directory
         */
        public Path commitReplacing() {
            checkOpen();
            try {
                syncTree(staging);
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    replaceDirectory(staging, target);
                } else {
                    moveAtomically(staging, target, false);
                    fsyncDirectory(target.getParent());
                }
                done = true;
                untrack(staging);
                return target;
            } catch (IOException e) {
                throw CikqcException.outputFailed("cannot commit " + target, e);
            }
        }

        /** Removes the staging directory unless it was committed. */
        @Override
        public void close() {
            if (done) return;
            done = true;
            try {
                deleteTree(staging);
                untrack(staging);
            } catch (IOException e) {
                throw CikqcException.outputFailed("cannot remove staging directory " + staging, e);
            }
        }

        private void checkOpen() {
            if (done) throw new IllegalStateException("staging of " + target + " is already committed or closed");
        }

        private static void syncTree(Path root) throws IOException {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(Files::isDirectory).toList()) fsyncDirectory(p);
            }
        }
    }

    /** An output stream over a channel that leaves closing the channel to its owner. */
    private static final class UnclosableChannelStream extends OutputStream {
        private final FileChannel ch;

        UnclosableChannelStream(FileChannel ch) { this.ch = ch; }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) ch.write(buf);
        }
    }
}
