package org.cikqc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFileWhereAFolderMustBeIsNamedAsNotADirectory(@TempDir Path dir) throws IOException {
        // Java's createDirectories says only "already exists" for the path component that is a file
        Files.writeString(dir.resolve("afile"), "x");
        CikqcException e = assertThrows(CikqcException.class,
                () -> AtomicFiles.writeString(dir.resolve("afile").resolve("x.csv"), "a"));
        assertTrue(e.getMessage().endsWith(dir.resolve("afile").toAbsolutePath() + ": is not a directory"),
                e.getMessage());
        assertEquals(List.of("afile"), names(dir));
    }

    @Test
    void theFolderResponsibleIsNamedInItsOwnWords(@TempDir Path dir) throws IOException {
        // fuzz round 27 D6: a file two levels up gave the OS text "…/afile/sub: Not a directory", a broken link
        // "is not a directory", and /sys "Operation not permitted" naming the folder that was never made
        Files.writeString(dir.resolve("afile"), "x");
        CikqcException deep = assertThrows(CikqcException.class,
                () -> AtomicFiles.writeString(dir.resolve("afile/sub/deeper/x.csv"), "a"));
        assertEquals("cannot write " + dir.resolve("afile/sub/deeper/x.csv").toAbsolutePath() + ": "
                + dir.resolve("afile").toAbsolutePath() + ": is not a directory", deep.getMessage());
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("gone"));
        CikqcException broken = assertThrows(CikqcException.class,
                () -> AtomicFiles.writeString(link.resolve("x.csv"), "a"));
        assertEquals("cannot write " + link.resolve("x.csv").toAbsolutePath() + ": " + link.toAbsolutePath()
                + ": is a broken link to " + dir.resolve("gone") + " (its target does not exist)", broken.getMessage());
        assertEquals(List.of("afile", "link"), names(dir));
        Path sys = Path.of("/sys");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(sys.resolve("kernel")), "needs Linux /sys");
        CikqcException refused = assertThrows(CikqcException.class,
                () -> AtomicFiles.writeString(sys.resolve("cikqc-test/x.csv"), "a"));
        assertTrue(refused.getMessage().startsWith("cannot write /sys/cikqc-test/x.csv: /sys/cikqc-test: cannot be"
                + " created: /sys "), refused.getMessage()); // "accepts no new folders (…)" or "is not writable (…)"
    }

    @Test
    void aFolderThatTakesNoNewEntriesIsNamedNotTheTemporary() {
        // /proc refuses new entries with ENOENT: Java said the random temporary "does not exist"
        Path proc = Path.of("/proc");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(proc.resolve("self")), "needs Linux /proc");
        CikqcException file = assertThrows(CikqcException.class,
                () -> AtomicFiles.writeString(proc.resolve("cikqc-test.csv"), "x"));
        assertEquals("cannot write /proc/cikqc-test.csv: /proc accepts no new files", file.getMessage());
        assertEquals(CikqcException.Kind.OUTPUT_IO, file.kind());
        CikqcException folder = assertThrows(CikqcException.class,
                () -> AtomicFiles.writeString(proc.resolve("cikqc-test/sub/a.csv"), "x"));
        assertEquals("cannot write /proc/cikqc-test/sub/a.csv: /proc/cikqc-test: cannot be created: /proc accepts no"
                + " new folders", folder.getMessage());
        assertTrue(AtomicFiles.tracked().isEmpty(), AtomicFiles.tracked().toString());
    }

    @Test
    void aWriteThatSucceededLeavesNothingTracked(@TempDir Path dir) {
        // each committed write used to stay in the exit routine's set for the life of the process (watch: forever)
        AtomicFiles.writeString(dir.resolve("a.txt"), "a");
        AtomicFiles.write(dir.resolve("b.bin"), os -> os.write(1));
        AtomicFiles.writeVia(dir.resolve("c.bin"), tmp -> Files.write(tmp, new byte[] {2}));
        assertTrue(AtomicFiles.tracked().stream().noneMatch(p -> p.startsWith(dir.toAbsolutePath())),
                AtomicFiles.tracked()::toString);
    }

    @Test
    void whatAStoppedProcessWasWritingIsRemovedAndNothingElse(@TempDir Path dir) throws Exception {
        AtomicFiles.Staging committed = AtomicFiles.stageDirectory(dir.resolve("done"));
        committed.writeString("a.txt", "a");
        committed.commit();
        AtomicFiles.Staging open = AtomicFiles.stageDirectory(dir.resolve("half"));
        open.writeString("sub/b.txt", "b");
        Path tmp = dir.resolve(".x.fcs.1234.tmp");
        Files.writeString(tmp, "partial");
        AtomicFiles.track(tmp);
        Path other = dir.resolve(".someone-else.tmp");
        Files.writeString(other, "not ours");
        List<Path> removed = AtomicFiles.removeUnfinished();
        assertTrue(removed.contains(tmp.toAbsolutePath()) && removed.contains(open.directory().toAbsolutePath()),
                removed.toString());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(".someone-else.tmp", "done"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("a", Files.readString(dir.resolve("done/a.txt")));
        assertThrows(CikqcException.class, open::commit, "a removed staging directory cannot be committed");
        assertEquals(List.of(), AtomicFiles.removeUnfinished(), "nothing is tracked twice");
    }

    @Test
    void aWriterStillRunningAfterItsStagingWasRemovedDoesNotRecreateIt(@TempDir Path dir) throws Exception {
        // a SIGTERM mid-analysis: the exit routine removed the staging folder (and the scratch folder holding it)
        // while an analysis thread goes on writing plots into it
        Path scratch = dir.resolve(".scratch-1.staging");
        AtomicFiles.Staging open = AtomicFiles.stageDirectory(scratch.resolve("sample"));
        open.writeString("plots/a.png", "a");
        AtomicFiles.deleteTree(scratch);
        CikqcException e = assertThrows(CikqcException.class, () -> open.writeString("plots/b.png", "b"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertThrows(CikqcException.class, () -> open.writeString("figures/c.svg", "c"));
        assertEquals(List.of(), names(dir), "neither the staging folder nor its parents come back");
        open.close();
    }

    @Test
    void writeLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sub/result.json");
        AtomicFiles.writeString(f, "{\"a\":1}");
        assertEquals("{\"a\":1}", Files.readString(f));
        AtomicFiles.write(f, "second".getBytes(StandardCharsets.UTF_8));
        assertEquals("second", Files.readString(f));
        assertEquals(List.of("result.json"), names(dir.resolve("sub")));
    }

    @Test
    void failedWriteKeepsTheOldFileIntact(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("report.csv");
        AtomicFiles.writeString(f, "old content");
        CikqcException e = assertThrows(CikqcException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half of the new cont".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals(CikqcException.Kind.OUTPUT_IO, e.kind());
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("old content", Files.readString(f));
        assertEquals(List.of("report.csv"), names(dir));
    }

    /**
     * A write renames a new file over its target: over an empty folder, a device (as root, /dev/null itself) or a
     * FIFO that would put a file in its place, so such a target is refused and left as it is.
     */
    @Test
    void aTargetThatIsNotARegularFileIsRefusedAndKept(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plots.png"));
        CikqcException e = assertThrows(CikqcException.class, () -> AtomicFiles.writeString(folder, "x"));
        assertEquals(CikqcException.Kind.OUTPUT_IO, e.kind());
        assertEquals("cannot write " + folder.toAbsolutePath() + ": it exists and is not a regular file but a folder",
                e.getMessage());
        assertTrue(Files.isDirectory(folder));
        Path fifo = dir.resolve("fifo");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (IOException noMkfifo) {
            made = false;
        }
        if (made) {
            CikqcException f = assertThrows(CikqcException.class, () -> AtomicFiles.writeString(fifo, "x"));
            assertTrue(f.getMessage().endsWith("is not a regular file (a device, FIFO or socket)"), f.getMessage());
            assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the FIFO is still there");
        }
        // a symbolic link to a file is replaced by the new file, as before; the file it named is untouched
        Path real = dir.resolve("real.txt");
        Files.writeString(real, "kept");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), real);
        AtomicFiles.writeString(link, "new");
        assertEquals("kept", Files.readString(real));
        assertEquals("new", Files.readString(link));
        assertTrue(!Files.isSymbolicLink(link));
        assertEquals(made ? List.of("fifo", "link.txt", "plots.png", "real.txt") : List.of("link.txt", "plots.png",
                "real.txt"), names(dir));
    }

    /**
     * A set of files is replaced together: a write that fails (a full disk, a writer that throws) part way through
     * the set leaves every target as it was, and nothing temporary behind; the commit puts all of them in place.
     */
    @Test
    void aFileSetReplacesAllItsFilesOrNone(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("membership.tsv");
        Path b = dir.resolve("counts.tsv");
        Path c = dir.resolve("comparison.tsv");
        Files.writeString(a, "old a");
        Files.writeString(b, "old b");
        Files.writeString(c, "old c");
        try (AtomicFiles.FileSet set = AtomicFiles.fileSet()) {
            set.writeString(a, "new a");
            assertTrue(set.remove(c));
            CikqcException e = assertThrows(CikqcException.class, () -> set.write(b, os -> {
                os.write(1);
                throw new IOException("No space left on device");
            }));
            assertEquals(CikqcException.Kind.OUTPUT_IO, e.kind());
            assertTrue(e.getMessage().contains(b.toAbsolutePath().toString()), e.getMessage());
        }
        assertEquals("old a", Files.readString(a), "written but not committed: the old file stays");
        assertEquals("old b", Files.readString(b));
        assertEquals("old c", Files.readString(c), "removed only by a commit");
        assertEquals(List.of("comparison.tsv", "counts.tsv", "membership.tsv"), names(dir));

        try (AtomicFiles.FileSet set = AtomicFiles.fileSet()) {
            set.writeString(a, "first");
            set.writeString(a, "new a"); // written again: the first temporary goes
            set.writeString(b, "new b");
            assertFalse(set.remove(dir.resolve("absent.tsv")));
            assertTrue(set.remove(c));
            assertEquals(List.of("comparison.tsv", "counts.tsv", "membership.tsv"), names(dir).stream()
                    .filter(n -> !n.endsWith(AtomicFiles.TEMP_SUFFIX)).toList());
            assertEquals(2, names(dir).stream().filter(n -> n.endsWith(AtomicFiles.TEMP_SUFFIX)).count());
            set.commit();
            assertThrows(IllegalStateException.class, () -> set.writeString(a, "late"));
        }
        assertEquals("new a", Files.readString(a));
        assertEquals("new b", Files.readString(b));
        assertEquals(List.of("counts.tsv", "membership.tsv"), names(dir));
        assertTrue(AtomicFiles.tracked().stream().noneMatch(p -> p.startsWith(dir.toAbsolutePath())),
                AtomicFiles.tracked()::toString);

        Files.createDirectory(dir.resolve("folder"));
        try (AtomicFiles.FileSet set = AtomicFiles.fileSet()) {
            assertEquals(CikqcException.Kind.OUTPUT_IO, assertThrows(CikqcException.class,
                    () -> set.writeString(dir.resolve("folder"), "x")).kind());
        }
        assertTrue(Files.isDirectory(dir.resolve("folder")));
    }

    @Test
    void stagedDirectoryAppearsCompleteOnCommit(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("sample-01");
        try (AtomicFiles.Staging st = AtomicFiles.stageDirectory(target)) {
            st.writeString("result.json", "{}");
            st.write("plots/cd3.png", new byte[] {1, 2, 3});
            assertFalse(Files.exists(target), "invisible until commit");
            assertEquals(1, names(dir).size());
            assertTrue(names(dir).get(0).startsWith(".sample-01.") && names(dir).get(0).endsWith(".staging"));
            assertEquals(target, st.commit());
        }
        assertEquals(List.of("sample-01"), names(dir));
        assertEquals("{}", Files.readString(target.resolve("result.json")));
        assertEquals(3, Files.size(target.resolve("plots/cd3.png")));
    }

    @Test
    void abandonedStagingLeavesNothing(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("sample-02");
        try (AtomicFiles.Staging st = AtomicFiles.stageDirectory(target)) {
            st.writeString("result.json", "{}");
            // a failure before commit: the try block ends without commit
        }
        assertEquals(List.of(), names(dir));
    }

    @Test
    void commitRefusesToOverwriteButCommitReplacingSwaps(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("s");
        try (AtomicFiles.Staging st = AtomicFiles.stageDirectory(target)) {
            st.writeString("a.txt", "v1");
            st.commit();
        }
        try (AtomicFiles.Staging st = AtomicFiles.stageDirectory(target)) {
            st.writeString("b.txt", "v2");
            assertThrows(CikqcException.class, st::commit);
        }
        assertEquals(List.of("s"), names(dir), "failed commit cleaned up its staging");
        assertEquals(List.of("a.txt"), names(target));
        try (AtomicFiles.Staging st = AtomicFiles.stageDirectory(target)) {
            st.writeString("b.txt", "v2");
            st.commitReplacing();
        }
        assertEquals(List.of("s"), names(dir));
        assertEquals(List.of("b.txt"), names(target));
    }

    @Test
    void aReadOnlyPreviousCopyIsKeptWholeAndNotReplaced(@TempDir Path dir) throws Exception {
        // fuzz round 27 D5: the old copy was renamed aside, the new one committed, then deleting the read-only old
        // copy failed: an error after the commit, and a hidden '.…replaced-….staging' folder left behind
        Path target = dir.resolve("s");
        Files.createDirectories(target.resolve("plots"));
        Files.writeString(target.resolve("result.json"), "v1");
        Files.writeString(target.resolve("plots/a.png"), "v1");
        Path next = dir.resolve(".s.new.staging");
        Files.createDirectories(next);
        Files.writeString(next.resolve("result.json"), "v2");
        Path plots = target.resolve("plots");
        boolean immutable = protect(plots);
        try {
            CikqcException e = assertThrows(CikqcException.class, () -> AtomicFiles.replaceDirectory(next, target));
            assertEquals(CikqcException.Kind.OUTPUT_IO, e.kind());
            assertEquals("cannot replace " + target + ": " + plots + " is read-only, so the previous copy cannot be"
                    + " removed; it is kept as it was", e.getMessage());
        } finally {
            unprotect(plots, immutable);
        }
        assertEquals(List.of(".s.new.staging", "s"), names(dir));
        assertEquals("v1", Files.readString(target.resolve("result.json")));
        assertEquals(List.of("a.png"), names(plots));
        AtomicFiles.replaceDirectory(next, target); // writable again: replaced, nothing left aside
        assertEquals(List.of("s"), names(dir));
        assertEquals(List.of("result.json"), names(target));
        assertEquals("v2", Files.readString(target.resolve("result.json")));
    }

    /**
     * Makes {@code dir} read-only for this process: mode 555, and for root (whom modes do not stop) the immutable
     * attribute where the file system has it; skips the test when neither takes. True when immutable was set.
     */
    private static boolean protect(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!Files.isWritable(dir)) return false;
        int rc = chattr("+i", dir);
        org.junit.jupiter.api.Assumptions.assumeTrue(rc == 0 && !Files.isWritable(dir),
                "root ignores mode 555 and 'chattr +i' is not available here: the read-only case cannot be made");
        return true;
    }

    private static void unprotect(Path dir, boolean immutable) throws Exception {
        if (immutable) chattr("-i", dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static int chattr(String flag, Path p) throws Exception {
        try {
            Process proc = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return proc.waitFor();
        } catch (IOException e) {
            return -1; // no chattr on this machine
        }
    }

    @Test
    void stagingRefusesEscapingNames(@TempDir Path dir) {
        try (AtomicFiles.Staging st = AtomicFiles.stageDirectory(dir.resolve("x"))) {
            assertThrows(IllegalArgumentException.class, () -> st.writeString("../evil", "x"));
        }
    }

    @Test
    void staleTemporariesAreRemoved(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(".report.pdf.abc123.tmp"), "partial");
        Files.createDirectories(dir.resolve(".sample.abc.staging/plots"));
        Files.writeString(dir.resolve(".sample.abc.staging/plots/x.png"), "partial");
        Files.writeString(dir.resolve("keep.tmp"), "not hidden: not ours");
        List<Path> removed = AtomicFiles.removeStaleTemporaries(dir);
        assertEquals(2, removed.size());
        assertEquals(List.of("keep.tmp"), names(dir));
    }
}
