package org.cikqc.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cikqc.common.CikqcException;
import org.cikqc.pipeline.SampleResult;

/**
 * Exit codes and printed lines of the analysing commands ({@code analyze}, {@code batch}, {@code hook},
 * {@code watch}, {@code demo}).
 *
 * <p>Precedence when inputs end differently (the first that applies): 5 an output could not be written (records
 * may be missing: fix the output first), 1 internal error (a bug), 4 a spec/panel problem, 3 an invalid input,
 * 10 (only with {@code --strict-exit}) a verdict that is not PASS, 0. So 3 wins over 10: a batch with an unreadable
 * file is "not all processed" before it is "not all passing".
 */
final class Outcomes {
    /** Exit code of {@code --strict-exit} when some verdict is not PASS. */
    static final int EXIT_NOT_ALL_PASS = 10;

    private Outcomes() { }

    /** The exit code for the results (see the class comment). */
    static int exitCode(List<SampleResult> results, boolean strict) {
        boolean io = false;
        boolean internal = false;
        boolean spec = false;
        boolean input = false;
        boolean notPass = false;
        for (SampleResult r : results) {
            if (!r.ok()) {
                CikqcException.Kind k = r.failure().kind();
                io |= k == CikqcException.Kind.OUTPUT_IO;
                internal |= k == CikqcException.Kind.INTERNAL;
                spec |= k == CikqcException.Kind.INVALID_SPEC;
                input |= k == CikqcException.Kind.INVALID_INPUT || k == CikqcException.Kind.USAGE;
            } else if (!"PASS".equals(r.verdict())) {
                notPass = true;
            }
        }
        if (io) return CikqcException.Kind.OUTPUT_IO.exitCode();
        if (internal) return CikqcException.Kind.INTERNAL.exitCode();
        if (spec) return CikqcException.Kind.INVALID_SPEC.exitCode();
        if (input) return CikqcException.Kind.INVALID_INPUT.exitCode();
        if (strict && notPass) return EXIT_NOT_ALL_PASS;
        return 0;
    }

    /** How many results have each verdict, verdicts in alphabetical order (ERROR for a failed sample). */
    static Map<String, Integer> verdictCounts(List<SampleResult> results) {
        Map<String, Integer> n = new TreeMap<>();
        for (SampleResult r : results) n.merge(r.verdict(), 1, Integer::sum);
        return n;
    }

    /** "12 samples: 9 PASS, 2 FAIL, 1 ERROR" (verdicts in alphabetical order). */
    static String tally(List<SampleResult> results) {
        Map<String, Integer> n = verdictCounts(results);
        StringBuilder sb = new StringBuilder().append(results.size()).append(results.size() == 1 ? " sample" : " samples");
        String sep = ": ";
        for (Map.Entry<String, Integer> e : n.entrySet()) {
            sb.append(sep).append(e.getValue()).append(' ').append(e.getKey());
            sep = ", ";
        }
        return sb.toString();
    }

    /** Prints each result's line ({@code sample: VERDICT (reasons)}), in the order given. */
    static void printLines(PrintWriter out, List<SampleResult> results) {
        for (SampleResult r : results) out.println(r.line());
        out.flush();
    }

    /** The user recorded as actor of audit entries. */
    static String actor() {
        String u = System.getProperty("user.name");
        return u == null || u.isBlank() ? "unknown" : u;
    }
}
