package org.cikqc.pipeline;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where a sample folder ends up in the output folder, decided in one place for results and error records.
 *
 * <p>The analysis commits its folder into a private, hidden scratch folder ({@code OUT/.scratch-<random>.staging},
 * which {@link AtomicFiles#removeStaleTemporaries} removes after a crash); it is then renamed into {@code OUT}
 * under the first of {@code <sample>}, {@code <sample>-<sha8>}, {@code <sample>-<sha8>-2}, … that is free or holds
 * a record of the same input (a result or an error record with the same input SHA-256, which is replaced). So a
 * result never overwrites another input's result <em>or error record</em>, and an error record never overwrites a
 * result. The rename is atomic; a replaced folder is first renamed aside, so the target is briefly absent but
 * never partial. Callers serialise inputs that could share a name ({@link OutputNames#keys}).
 */
final class ResultFolders {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultFolders() { }

    /** A new, empty scratch folder inside {@code outRoot}. */
    static Path newScratch(Path outRoot) {
        Path p = AtomicFiles.newTemporary(outRoot, ".scratch-", AtomicFiles.STAGING_SUFFIX);
        try {
            AtomicFiles.createDirectories(p);
            return p;
        } catch (IOException e) {
            throw AtomicFiles.writeFailed("cannot write results in " + outRoot.toAbsolutePath(), p, e);
        }
    }

    /** Removes a scratch folder and whatever is left in it. */
    static void deleteScratch(Path scratch) {
        try {
            AtomicFiles.deleteTree(scratch);
            AtomicFiles.untrack(scratch);
        } catch (IOException e) {
            throw CikqcException.outputFailed("cannot remove " + scratch, e);
        }
    }

    /**
     * Renames the folder the analysis committed in a scratch folder into {@code outRoot} and returns the outcome
     * with its final paths.
     *
     * @param inScratch the outcome as written into the scratch folder
     * @param inputSha  the input's SHA-256
     */
    static SampleOutcome place(SampleOutcome inScratch, Path outRoot, String inputSha) {
        Path from = inScratch.directory();
        String base = inScratch.sample();
        try {
            for (int n = 0; ; n++) {
                String name = n == 0 ? base : base + "-" + inputSha.substring(0, 8) + (n == 1 ? "" : "-" + n);
                Path target = outRoot.resolve(name);
                if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    move(from, target);
                } else if (sameInput(target, inputSha)) {
                    AtomicFiles.replaceDirectory(from, target);
                } else {
                    continue;
                }
                AtomicFiles.fsyncDirectory(outRoot);
                return relocated(inScratch, from, target, name);
            }
        } catch (IOException e) {
            throw CikqcException.outputFailed("cannot move the result of " + base + " into " + outRoot, e);
        }
    }

    /** True when {@code dir} holds a record of the input with this SHA-256 (a result, or else an error record). */
    static boolean sameInput(Path dir, String sha256) {
        Path result = dir.resolve("result.json");
        if (Files.isRegularFile(result)) return sha256.equals(sampleSha(result, "sample", "sha256"));
        Path error = dir.resolve(ErrorRecord.FILE_NAME);
        return Files.isRegularFile(error) && sha256.equals(sampleSha(error, "sha256", null));
    }

    private static String sampleSha(Path json, String key, String sub) {
        try {
            JsonNode n = JSON.readTree(json.toFile());
            JsonNode v = sub == null ? n.path(key) : n.path(key).path(sub);
            return v.isTextual() ? v.asText() : null;
        } catch (IOException e) {
            return null; // unreadable: treated as another input's record, never overwritten
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename " + from + " to " + to + " atomically", e);
        }
    }

    private static SampleOutcome relocated(SampleOutcome o, Path from, Path to, String name) {
        List<Path> outputs = new ArrayList<>();
        for (Path p : o.outputs()) outputs.add(p.startsWith(from) ? to.resolve(from.relativize(p)) : p);
        Path rj = o.resultJson() != null && o.resultJson().startsWith(from)
                ? to.resolve(from.relativize(o.resultJson())) : to.resolve("result.json");
        return new SampleOutcome(name, to, rj, o.resultSha256(), o.verdict(), outputs, o.result());
    }
}
