package org.cikqc.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FontFilesTest {

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void theBundledFaceIsCopiedOnceByContentAndJavaDrawsFromTheCopy(@TempDir Path tmp) throws Exception {
        byte[] data = PlotFonts.REGULAR_FACE.bytes();
        Path file = FontFiles.cached(tmp, "DejaVuSans", data).orElseThrow();
        assertTrue(file.getFileName().toString().matches("DejaVuSans-[0-9a-f]{16}\\.ttf"), file.toString());
        assertArrayEquals(data, Files.readAllBytes(file));
        long modified = Files.getLastModifiedTime(file).toMillis();
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(modified - 60_000));
        assertEquals(file, FontFiles.cached(tmp, "DejaVuSans", data).orElseThrow());
        assertEquals(modified - 60_000, Files.getLastModifiedTime(file).toMillis(), "an intact copy is not rewritten");
        assertEquals(1, count(file.getParent()), "no temporary is left beside the copy");
        assertEquals("DejaVu Sans", Font.createFont(Font.TRUETYPE_FONT, file.toFile()).getFontName());
    }

    @Test
    void aDamagedCopyIsRewritten(@TempDir Path tmp) throws Exception {
        byte[] data = PlotFonts.BOLD_FACE.bytes();
        Path file = FontFiles.cached(tmp, "DejaVuSans-Bold", data).orElseThrow();
        byte[] damaged = data.clone();
        damaged[damaged.length / 2] ^= 1;
        Files.write(file, damaged);
        assertEquals(file, FontFiles.cached(tmp, "DejaVuSans-Bold", data).orElseThrow());
        assertArrayEquals(data, Files.readAllBytes(file));
        Files.write(file, new byte[10]);
        FontFiles.cached(tmp, "DejaVuSans-Bold", data).orElseThrow();
        assertArrayEquals(data, Files.readAllBytes(file), "a truncated copy is rewritten");
    }

    @Test
    void aFolderOthersMayWriteToOrALinkIsNotUsed(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        byte[] data = PlotFonts.REGULAR_FACE.bytes();
        Path dir = FontFiles.cached(tmp, "DejaVuSans", data).orElseThrow().getParent();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.empty(), FontFiles.cached(tmp, "DejaVuSans", data));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path moved = Files.move(dir, elsewhere.resolve("fonts"));
        Files.createSymbolicLink(dir, moved);
        assertEquals(Optional.empty(), FontFiles.cached(tmp, "DejaVuSans", data), "a link in place of the folder");
    }
}
