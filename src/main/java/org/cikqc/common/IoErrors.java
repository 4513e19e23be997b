package org.cikqc.common;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * An I/O failure in words. Java's file-system exceptions often carry only a path as their message
 * ({@code NoSuchFileException: /proc/x}), which dropped the cause from messages such as "cannot write
 * /proc/x/a.csv: /proc/x"; here the exception's kind becomes the words ("/proc/x does not exist").
 */
public final class IoErrors {
    private IoErrors() { }

    /** What went wrong, naming the path the exception names; never null or empty. */
    public static String describe(Throwable e) {
        if (e instanceof FileSystemException f && f.getFile() != null && !f.getFile().isEmpty()) {
            String other = f.getOtherFile() == null ? "" : " (and " + f.getOtherFile() + ")";
            return f.getFile() + other + ": " + reason(e);
        }
        return reason(e);
    }

    /**
     * {@link #describe} for a message that begins with {@code what}: the path is left out when {@code what} already
     * ends with it ("cannot create /sys/res: permission denied", not "cannot create /sys/res: /sys/res: …").
     */
    public static String describeAfter(String what, Throwable e) {
        if (e instanceof FileSystemException f && f.getFile() != null && f.getOtherFile() == null
                && !f.getFile().isEmpty() && what.endsWith(" " + f.getFile())) {
            return reason(e);
        }
        return describe(e);
    }

    /**
     * What went wrong without the path ("permission denied"), for a message that names the file already; never
     * null or empty.
     */
    public static String reason(Throwable e) {
        if (e instanceof FileSystemException f) {
            String kind = e instanceof NoSuchFileException ? "does not exist"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof NotDirectoryException ? "is not a directory"
                    : e instanceof DirectoryNotEmptyException ? "is a directory that is not empty"
                    : e instanceof FileSystemLoopException ? "is a symbolic-link loop"
                    : null;
            String reason = f.getReason();
            if (kind == null) kind = reason == null || reason.isBlank() ? e.getClass().getSimpleName() : reason;
            else if (reason != null && !reason.isBlank() && !reason.equalsIgnoreCase(kind)) kind += " (" + reason + ")";
            return kind;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
