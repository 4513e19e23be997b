package org.cikqc.pipeline;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.cikqc.common.CikqcException;

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
        Path ex = exclude == null ? null : exclude.toAbsolutePath().normalize();
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path a : args) {
            Path abs = a.toAbsolutePath().normalize();
            if (Files.isDirectory(abs)) {
                for (Path p : scan(abs, ex)) found.putIfAbsent(identity(p), p);
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
        Path ex = exclude == null ? null : exclude.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            s.filter(p -> !p.equals(dir))
                    .filter(p -> ex == null || !p.toAbsolutePath().normalize().startsWith(ex))
                    .filter(p -> !hiddenBelow(dir, p))
                    .filter(p -> isFcsName(p.getFileName().toString()))
                    .filter(Files::isRegularFile)
                    .forEach(p -> out.add(p.toAbsolutePath().normalize()));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw CikqcException.input(dir + ": cannot list the directory: " + e.getMessage());
        }
        out.sort(ORDER);
        return out;
    }

    private static boolean hiddenBelow(Path root, Path p) {
        for (Path part : root.relativize(p)) if (part.toString().startsWith(".")) return true;
        return false;
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
