package org.cikqc.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values checked where they are parsed, so a bad one is a usage error (exit 2) naming the option. */
final class Converters {
    private Converters() { }

    /** Any path option or parameter: an empty value would silently mean the current folder. */
    static final class NonEmptyPath implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isBlank()) throw new TypeConversionException("an empty path is not allowed");
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new TypeConversionException("'" + value + "' is not a valid path: " + e.getReason());
            }
        }
    }

    /** An output folder: created when missing, so it must not be an existing file. */
    static final class OutputFolder implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = new NonEmptyPath().convert(value);
            if (java.nio.file.Files.exists(p) && !java.nio.file.Files.isDirectory(p)) {
                throw new TypeConversionException(value + " is a file, not a folder");
            }
            return p;
        }
    }

    /** An output file: written atomically by name, so it must not name a folder (or end with a separator). */
    static final class OutputFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = new NonEmptyPath().convert(value);
            if (value.endsWith("/") || value.endsWith(java.io.File.separator) || java.nio.file.Files.isDirectory(p)) {
                throw new TypeConversionException(value + " is a folder; name the file to write");
            }
            if (java.nio.file.Files.exists(p) && !java.nio.file.Files.isRegularFile(p)) {
                // written by renaming a new file over it: a device (/dev/null) or FIFO would be replaced, not written to
                throw new TypeConversionException(value + " exists and is not a regular file (a device, FIFO or socket); "
                        + "name a file to write");
            }
            return p;
        }
    }

    /** A whole number of at least {@code min}. */
    private abstract static class AtLeast implements ITypeConverter<Integer> {
        private final int min;
        private final String words;

        AtLeast(int min, String words) {
            this.min = min;
            this.words = words;
        }

        @Override
        public Integer convert(String value) {
            int v = parse(value);
            if (v < min) throw new TypeConversionException("must be " + words + ", got " + v);
            return v;
        }
    }

    /** A count or 0-based index: 0 or more. */
    static final class NonNegative extends AtLeast {
        NonNegative() { super(0, "0 or more"); }
    }

    /** A number of threads or similar: 1 or more. */
    static final class Positive extends AtLeast {
        Positive() { super(1, "at least 1"); }
    }

    /**
     * True when two paths name the same file: the same file on disk when both exist (links and other spellings
     * followed), else the same normalized absolute path. Used to refuse an output that would replace an input.
     */
    static boolean sameFile(Path a, Path b) {
        try {
            if (java.nio.file.Files.exists(a) && java.nio.file.Files.exists(b)) return java.nio.file.Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            // cannot tell by the file system: compare the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** A seed: a whole number from 0 to 2^63 - 1, as the spec's gating.sample.seed. */
    static final class Seed implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long v;
            try {
                v = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number from 0 to " + Long.MAX_VALUE);
            }
            if (v < 0) throw new TypeConversionException("must be 0 or more, got " + v);
            return v;
        }
    }

    /** An identifier typed on the command line (a lot id): not blank, one line, no control characters, ≤ 200 characters. */
    static final class Identifier implements ITypeConverter<String> {
        static final int MAX_LENGTH = 200;

        @Override
        public String convert(String value) {
            String v = value.strip();
            if (v.isEmpty()) throw new TypeConversionException("must not be empty");
            for (int i = 0; i < v.length(); i++) {
                if (Character.isISOControl(v.charAt(i))) {
                    throw new TypeConversionException("must not contain control characters (line breaks, tabs),"
                            + " found U+" + String.format(java.util.Locale.ROOT, "%04X", (int) v.charAt(i))
                            + " at character " + (i + 1));
                }
            }
            if (v.length() > MAX_LENGTH) {
                throw new TypeConversionException("must be at most " + MAX_LENGTH + " characters, got " + v.length());
            }
            return v;
        }
    }

    private static int parse(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }
}
