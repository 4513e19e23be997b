package org.cikqc.pipeline;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.cikqc.common.CikqcException;
import org.cikqc.common.IoErrors;

/**
 * Collects the FCS inputs of a batch: files given by name are taken as they are (whatever their extension);
 * directories are searched recursively for {@code *.fcs} and {@code *.lmd} (any case), skipping hidden files and
 * folders (names starting with '.', e.g. a copy tool's temporary files) and, when it lies inside, the output
 * folder. The list is sorted by path (code-point order of the normalized absolute path), so it never depends on
 * the order the file system lists entries; a file reached twice is listed once.
 */
public final class InputFiles {
    private InputFiles() { }

    /** Comparator of the batch order: normalized absolute path, code-point order. */
    public static final Comparator<Path> ORDER = Comparator.comparing(p -> p.toAbsolutePath().normalize().toString());

    /** True for a name ending in {@code .fcs} or {@code .lmd}, any case, that is not hidden. */
    public static boolean isFcsName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (n.endsWith(".fcs") || n.endsWith(".lmd")) && n.length() > 4;
    }

    /**
     * The inputs, sorted and without duplicates.
     *
     * @param args    files and directories, as given
     * @param exclude a folder whose content is never an input (the output folder), or null
     * @throws CikqcException (INVALID_INPUT) when an argument does not exist or a directory cannot be listed
     */
    public static List<Path> collect(List<Path> args, Path exclude) {
        return collect(args, exclude, skipped -> { });
    }

    /** Like {@link #collect(List, Path)}; folders skipped while searching are reported to {@code skipped}. */
    public static List<Path> collect(List<Path> args, Path exclude, Consumer<String> skipped) {
        Path ex = exclude == null ? null : exclude.toAbsolutePath().normalize();
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path a : args) {
            Path abs = a.toAbsolutePath().normalize();
            if (Files.isDirectory(abs)) {
                for (Path p : scan(abs, ex, skipped)) found.putIfAbsent(identity(p), p);
            } else if (Files.isRegularFile(abs)) {
                found.putIfAbsent(identity(abs), abs);
            } else if (Files.exists(abs)) {
                throw CikqcException.input(a + ": not a regular file or directory");
            } else {
                throw CikqcException.input(a + ": no such file or directory");
            }
        }
        List<Path> out = new ArrayList<>(found.values());
        out.sort(ORDER);
        return out;
    }

    /** FCS files under {@code dir} (recursive), hidden entries and {@code exclude} skipped, sorted. */
    public static List<Path> scan(Path dir, Path exclude) {
        return scan(dir, exclude, skipped -> { });
    }

    /**
     * FCS files under {@code dir} (recursive, following symbolic links), hidden entries and {@code exclude}
     * skipped, sorted. A folder below {@code dir} that cannot be entered (a symbolic link back to one of its own
     * ancestors, a folder without read permission) is skipped and reported to {@code skipped} as one line; the
     * rest of the tree is still searched.
     *
     * @throws CikqcException (INVALID_INPUT) when {@code dir} itself cannot be listed
     */
    public static List<Path> scan(Path dir, Path exclude, Consumer<String> skipped) {
        // an input folder at or below the output folder (batch data --out ., watch W --out W) is searched whole:
        // excluding the output folder would exclude every input, and the results written there hold no FCS files
        Path outDir = exclude == null ? null : exclude.toAbsolutePath().normalize();
        Path ex = outDir == null || dir.toAbsolutePath().normalize().startsWith(outDir) ? null : outDir;
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                            if (d.equals(dir)) return FileVisitResult.CONTINUE;
                            boolean skip = (ex != null && d.toAbsolutePath().normalize().startsWith(ex))
                                    || d.getFileName().toString().startsWith(".");
                            return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                            if (!isFcsName(f.getFileName().toString())
                                    || (ex != null && f.toAbsolutePath().normalize().startsWith(ex))) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (attrs.isRegularFile()) {
                                out.add(f.toAbsolutePath().normalize());
                            } else if (attrs.isSymbolicLink()) {
                                skipped.accept(f + ": skipped, a symbolic link whose target does not exist");
                            } else {
                                skipped.accept(f + ": skipped, not a regular file (a FIFO, socket or device)");
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                            if (f.equals(dir)) throw e;
                            if (f.getFileName().toString().startsWith(".")) return FileVisitResult.CONTINUE;
                            if (e instanceof FileSystemLoopException) {
                                skipped.accept(f + ": skipped, a symbolic link to a folder that contains it (a loop)");
                            } else if (Files.isDirectory(f)) {
                                skipped.accept(f + ": skipped, the folder cannot be read (" + IoErrors.describe(e) + ")");
                            } else if (isFcsName(f.getFileName().toString())) {
                                skipped.accept(f + ": skipped, cannot be read (" + IoErrors.describe(e) + ")");
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw CikqcException.inputFailed(dir + ": cannot list the directory", e);
        }
        out.sort(ORDER);
        return out;
    }

    /** The same file reached by two names is one input (real path when it can be resolved). */
    private static String identity(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return p.toString(); // vanished meanwhile: keep the name; the analysis will report it
        }
    }
}
