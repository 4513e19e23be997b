package org.cikqc.common;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic output: content goes to a temporary file in the target's directory, is forced to disk, then renamed over
 * the target. Readers see the old file or the new one, never a half-written one; a failure leaves no temp file.
 */
public final class AtomicFiles {
    private AtomicFiles() { }

    /** Something that writes the content of a file. */
    @FunctionalInterface
    public interface Content {
        void write(OutputStream out) throws IOException;
    }

    /** Something that writes text content. */
    @FunctionalInterface
    public interface TextContent {
        void write(Writer out) throws IOException;
    }

    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes UTF-8 text through a buffered writer. */
    public static void writeText(Path target, TextContent content) {
        write(target, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            content.write(w);
            w.flush();
        });
    }

    /**
     * Writes {@code target} atomically.
     *
     * @throws CikqcException (OUTPUT_IO) when the file cannot be written
     */
    public static void write(Path target, Content content) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream os = Channels.newOutputStream(ch)) {
                OutputStream buffered = new java.io.BufferedOutputStream(os, 1 << 16);
                content.write(buffered);
                buffered.flush();
                ch.force(true);
            }
            move(tmp, abs);
            tmp = null;
        } catch (IOException e) {
            throw CikqcException.output("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) deleteAfterFailure(tmp);
        }
    }

    /** Renames {@code from} over {@code to} atomically (falls back to a plain replace where atomic moves are unsupported). */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteAfterFailure(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // the write already failed and is being reported; a leftover temp file is named ".<name>.*.tmp"
            tmp.toFile().deleteOnExit();
        }
    }
}
