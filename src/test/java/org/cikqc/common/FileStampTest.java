package org.cikqc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz 28 D5: an input written while it was analysed got a result naming its old SHA-256 with numbers from the new
 * bytes. The analysis stamps each input when it opens it and refuses the result when the stamp has changed.
 */
class FileStampTest {

    @TempDir
    Path dir;

    @Test
    void anUntouchedFileKeepsItsStamp() throws IOException {
        Path f = Files.writeString(dir.resolve("a.fcs"), "0123456789");
        FileStamp s = FileStamp.of(f);
        Files.readAllBytes(f); // reading changes nothing
        assertNull(s.changeTo(FileStamp.of(f)));
        FileStamp.requireUnchanged(f, s, "");
    }

    @Test
    void writingInPlaceReplacingOrRemovingIsRefusedWithWhatChanged() throws IOException {
        Path f = Files.writeString(dir.resolve("a.fcs"), "0123456789");
        FileTime t0 = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(f, t0);
        FileStamp s = FileStamp.of(f);

        // the same size, written in place: only the time tells
        Files.writeString(f, "9876543210");
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_001L));
        CikqcException same = assertThrows(CikqcException.class, () -> FileStamp.requireUnchanged(f, s, ""));
        assertEquals(CikqcException.Kind.INVALID_INPUT, same.kind());
        assertTrue(same.getMessage().startsWith(f + ": changed while it was analysed (it was modified at "
                + "2023-11-14T22:13:20.001Z; when it was opened it was last modified at 2023-11-14T22:13:20Z): what was"
                + " computed from it would not describe the file as it is, so nothing was written for it; run again once"
                + " nothing writes it"), same.getMessage());

        // grown, with its time put back
        Files.writeString(f, "0123456789ABC");
        Files.setLastModifiedTime(f, t0);
        assertTrue(assertThrows(CikqcException.class, () -> FileStamp.requireUnchanged(f, s, "control fmo-cd3"))
                .getMessage().contains(": control fmo-cd3 changed while it was analysed (its size went from 10 to 13 bytes)"));

        // replaced by another file of the same size and time
        Files.writeString(f, "0123456789");
        Files.setLastModifiedTime(f, t0);
        FileStamp s2 = FileStamp.of(f);
        Path other = Files.writeString(dir.resolve("b.tmp"), "0123456789");
        Files.setLastModifiedTime(other, t0);
        Files.move(other, f, StandardCopyOption.REPLACE_EXISTING);
        if (s2.key() != null) {
            assertEquals("it was replaced by another file", s2.changeTo(FileStamp.of(f)));
        }

        // gone
        Files.delete(f);
        assertTrue(assertThrows(CikqcException.class, () -> FileStamp.requireUnchanged(f, s2, "")).getMessage()
                .contains("changed while it was analysed (it can no longer be read: "));
    }
}
