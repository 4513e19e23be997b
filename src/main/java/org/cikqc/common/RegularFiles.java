package org.cikqc.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reading a file the user named, safely: only a regular file is read. Opening a FIFO for reading blocks until a
 * writer appears (a hook would hang for ever), a character device such as {@code /dev/zero} never ends, and a
 * directory is not a file; all three are refused at once with a plain reason. Whole-file reads are also bounded,
 * so a huge file given where a small document belongs cannot exhaust the heap.
 */
public final class RegularFiles {
    private RegularFiles() { }

    /**
     * Checks that {@code file} (symbolic links followed) is a regular file.
     *
     * @throws java.nio.file.NoSuchFileException when it does not exist
     * @throws IOException with a message such as "is a directory" or "is not a regular file (a FIFO, socket or
     *                     device)" otherwise; the message does not repeat the path
     */
    public static void require(Path file) throws IOException {
        String why = problem(Files.readAttributes(file, BasicFileAttributes.class));
        if (why != null) throw new IOException(why);
    }

    /** Why a file with these attributes cannot be read as a regular file, or null when it can. */
    public static String problem(BasicFileAttributes a) {
        if (a.isDirectory()) return "is a directory, not a file";
        if (!a.isRegularFile()) return "is not a regular file (a FIFO, socket or device); refusing to read it";
        return null;
    }

    /** Opens a regular file for reading ({@link #require} first). */
    public static java.io.InputStream newInputStream(Path file) throws IOException {
        require(file);
        return Files.newInputStream(file);
    }

    /**
     * Why {@code file} cannot be read as a regular file ("does not exist", "is a directory, not a file", "is not a
     * regular file …"), or null when it can.
     */
    public static String problem(Path file) {
        try {
            require(file);
            return null;
        } catch (java.nio.file.NoSuchFileException e) {
            return "does not exist";
        } catch (IOException e) {
            return IoErrors.reason(e); // "permission denied", not the bare path a FileSystemException carries
        }
    }

    /**
     * Reads a whole regular file of at most {@code maxBytes}.
     *
     * @throws java.nio.file.NoSuchFileException when it does not exist
     * @throws IOException when it is not a regular file, is larger than {@code maxBytes} ("is N bytes; larger than
     *                     M MiB, the most a WHAT can be") or cannot be read
     */
    public static byte[] readAll(Path file, long maxBytes, String what) throws IOException {
        require(file);
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new IOException("is " + size + " bytes; larger than " + (maxBytes >> 20) + " MiB, the most a " + what
                    + " can be");
        }
        return Files.readAllBytes(file);
    }
}
