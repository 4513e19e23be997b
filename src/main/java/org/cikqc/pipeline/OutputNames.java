package org.cikqc.pipeline;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.cikqc.common.CikqcException;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsFile;

/**
 * Output folder names of samples, as the orchestration needs them: the safe folder name of an error record, and
 * the <em>name keys</em> that tell which inputs could be given the same output folder.
 *
 * <p>A sample's folder is named from {@code $FIL} or, without it, from the file name (see {@link SampleRunner}).
 * Two inputs whose names collide must not be analysed at the same time: the second would find the first's folder
 * half-way (race on the commit) and the suffix it gets would depend on which thread finished first. The batch
 * runner and the watcher therefore run inputs that share a key one after the other, in a fixed order. A key is
 * the lower-cased safe name (case-insensitive file systems treat {@code A01} and {@code a01} as one folder); an
 * input has the keys of the {@code $FIL} of every data set and of its file name, so grouping errs on the side of
 * serialising.
 */
public final class OutputNames {
    private OutputNames() { }

    /**
     * The sample name the analysis gives ({@link SampleNames#of}): letters, digits, '.', '-', '_' only (anything
     * else becomes '_', accents are dropped), no leading dot, the extension {@code .fcs}/{@code .lmd} dropped, at
     * most 100 characters, never empty and never a reserved Windows device name.
     *
     * @param fil  the {@code $FIL} keyword, or null
     * @param file the input file (its name is used when {@code fil} is null or blank)
     */
    public static String safeName(String fil, Path file) {
        return SampleNames.of(fil, file);
    }

    /** The collision key of a safe name: lower case (case-insensitive file systems). */
    static String key(String safeName) {
        return safeName.toLowerCase(Locale.ROOT);
    }

    /**
     * The folder name an input would most likely get: the first data set's {@code $FIL} when the file can be
     * opened, else the file name. Never throws for a bad file.
     */
    public static String preferredName(Path file) {
        try (FcsFile fcs = FcsFile.open(file)) {
            for (FcsDataSet ds : fcs.dataSets()) {
                String fil = ds.fileNameKeyword();
                if (fil != null && !fil.isBlank()) return safeName(fil, file);
            }
        } catch (CikqcException e) {
            // unreadable as FCS: the file name is all there is
            return safeName(null, file);
        }
        return safeName(null, file);
    }

    /**
     * Every key under which {@code file}'s output folder could be named: the file name's and each data set's
     * {@code $FIL}'s. Reads only the HEADER and TEXT; a file that cannot be opened has its file name's key only.
     */
    public static Set<String> keys(Path file) {
        Set<String> keys = new TreeSet<>();
        keys.add(key(safeName(null, file)));
        try (FcsFile fcs = FcsFile.open(file)) {
            for (FcsDataSet ds : fcs.dataSets()) {
                String fil = ds.fileNameKeyword();
                if (fil != null && !fil.isBlank()) keys.add(key(safeName(fil, file)));
            }
        } catch (CikqcException e) {
            // not readable as FCS (yet): the analysis will fail and name its error record after the file
            return keys;
        }
        return keys;
    }
}
