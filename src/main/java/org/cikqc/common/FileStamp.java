package org.cikqc.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Objects;

/**
 * What identifies one version of a file without reading it: its size, its modification time (nanoseconds where the
 * file system keeps them) and its file key (device and inode on Unix). Taken when an input is opened and again when
 * its analysis is done, it tells whether the bytes analysed and hashed are still the file's: a file written in place
 * (a size or time change) or replaced by another (a key change) while it was read gives a result that names content
 * it was not computed from.
 *
 * @param size     bytes
 * @param modified last modification time
 * @param key      the file key, or null where the file system has none
 */
public record FileStamp(long size, FileTime modified, Object key) {

    public FileStamp {
        Objects.requireNonNull(modified, "modified");
    }

    /** The stamp of {@code file} now (symbolic links followed). */
    public static FileStamp of(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileStamp(a.size(), a.lastModifiedTime(), a.fileKey());
    }

    /**
     * The stamp of an input about to be read; a file that cannot be read is refused (exit 3, "FILE: cannot read").
     */
    public static FileStamp opened(Path file) {
        try {
            return of(file);
        } catch (IOException e) {
            throw CikqcException.inputFailed(file + ": cannot read", e);
        }
    }

    /** {@link #requireUnchanged(Path, FileStamp, String, String)} for an analysis ("analysed"). */
    public static void requireUnchanged(Path file, FileStamp before, String role) {
        requireUnchanged(file, before, role, "analysed");
    }

    /**
     * Refuses (exit 3) when {@code file} is no longer the version stamped {@code before}: "FILE: [ROLE ]changed while
     * it was VERB (…): what was computed from it would not describe the file as it is, so nothing was written for it;
     * run again once nothing writes it". A file that can no longer be read is refused alike. {@code role} names what
     * the file was to the run ("control fmo-cd3"), or is empty; {@code verb} what the run did with it ("analysed",
     * "gated", "exported"). Called before an output is committed, so a refused run leaves none.
     */
    public static void requireUnchanged(Path file, FileStamp before, String role, String verb) {
        String which = file + ": " + (role.isEmpty() ? "" : role + " ");
        FileStamp now;
        try {
            now = of(file);
        } catch (IOException e) {
            throw CikqcException.input(which + "changed while it was " + verb + " (it can no longer be read: "
                    + IoErrors.describe(e) + "): what was computed from it would not describe it, so nothing was"
                    + " written for it");
        }
        String change = before.changeTo(now);
        if (change != null) {
            throw CikqcException.input(which + "changed while it was " + verb + " (" + change + "): what was computed"
                    + " from it would not describe the file as it is, so nothing was written for it; run again once"
                    + " nothing writes it");
        }
    }

    /** How {@code later} differs from this stamp, in words, or null when it is the same version. */
    public String changeTo(FileStamp later) {
        if (!Objects.equals(key, later.key)) return "it was replaced by another file";
        if (size != later.size) {
            return String.format(Locale.ROOT, "its size went from %,d to %,d bytes", size, later.size);
        }
        if (!modified.equals(later.modified)) {
            return "it was modified at " + later.modified + "; when it was opened it was last modified at " + modified;
        }
        return null;
    }
}
