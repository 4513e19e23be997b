package org.cikqc.cli;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.cikqc.common.FileStamp;

/**
 * An FCS input of {@code gate} or {@code export}, stamped ({@link FileStamp}) before the command opens it and checked
 * before it commits its outputs: a file written in place or replaced while it was read gives exit 3 and leaves no
 * output computed from a mixture of two versions, as {@code analyze} does.
 */
final class StampedInput {
    /** Runs between the read and the check; tests rewrite the file here. Never set outside tests. */
    static volatile Consumer<Path> beforeCheck = p -> { };

    private final Path file;
    private final FileStamp stamp;
    private final String verb;

    /** Stamps {@code file} now; {@code verb} says what the command does with it ("gated", "exported"). */
    StampedInput(Path file, String verb) {
        this.file = file;
        this.stamp = FileStamp.opened(file);
        this.verb = verb;
    }

    /** Exit 3 when the file is no longer the version stamped at the start. */
    void requireUnchanged() {
        beforeCheck.accept(file);
        FileStamp.requireUnchanged(file, stamp, "", verb);
    }
}
