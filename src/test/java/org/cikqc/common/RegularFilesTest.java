package org.cikqc.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsFormatException;
import org.cikqc.report.FileCompleteness;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only regular files are read: a FIFO would block the reader for ever, a directory or device is not a file. */
class RegularFilesTest {
    static Path fifo(Path dir) throws Exception {
        Path p = dir.resolve("pipe.fcs");
        try {
            Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
            Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo failed");
        } catch (IOException e) {
            Assumptions.assumeTrue(false, "no mkfifo on this machine: " + e.getMessage());
        }
        return p;
    }

    @Test
    void readsRegularFilesWithinTheirBound(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("spec.json");
        Files.writeString(f, "{}");
        assertArrayEquals("{}".getBytes(), RegularFiles.readAll(f, 2, "spec"));
        IOException big = assertThrows(IOException.class, () -> RegularFiles.readAll(f, 1, "spec"));
        assertEquals("is 2 bytes; larger than 0 MiB, the most a spec can be", big.getMessage());
        assertThrows(NoSuchFileException.class, () -> RegularFiles.require(dir.resolve("absent")));
        assertEquals("is a directory, not a file",
                assertThrows(IOException.class, () -> RegularFiles.require(dir)).getMessage());
    }

    @Test
    void aFifoIsRefusedAtOnceByEveryReader(@TempDir Path dir) throws Exception {
        Path p = fifo(dir);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertTrue(assertThrows(IOException.class, () -> RegularFiles.require(p)).getMessage().contains("FIFO"));
            assertThrows(IOException.class, () -> Sha256.hex(p));
            FcsFormatException e = assertThrows(FcsFormatException.class, () -> FcsFile.open(p));
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
            FileCompleteness.Result r = new FileCompleteness(Duration.ofHours(1), Duration.ofMillis(10),
                    Duration.ofMillis(10)).await(p);
            assertEquals(FileCompleteness.Status.NOT_A_FILE, r.status());
            assertTrue(r.reason().contains("FIFO"), r.reason());
            assertTrue(FileCompleteness.inspect(p).reason().contains("FIFO"));
        });
    }
}
