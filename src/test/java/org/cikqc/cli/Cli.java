package org.cikqc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cikqc.qc.QcSpec;

/** Runs the CLI in-process and keeps what it printed; shared fixtures of the analysing commands' tests. */
final class Cli {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** Runs {@code args} and returns the exit code. */
    int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    String out() { return out.toString(); }

    String err() { return err.toString(); }

    /** Both streams, for assertion messages. */
    String both() { return "stdout:\n" + out + "\nstderr:\n" + err; }

    /**
     * The default spec with the event minimums lowered (2,000 CD45+ singlets, 1,000 viable), so that small
     * simulated files (10,000 events) can PASS and the tests stay fast.
     */
    static Path smallSpec(Path dir) throws IOException {
        String s = new String(QcSpec.defaultSpecBytes(), StandardCharsets.UTF_8);
        String t = s.replaceFirst("\"minSingletLeukocytes\"\\s*:\\s*20000", "\"minSingletLeukocytes\": 2000")
                .replaceFirst("\"minViable\"\\s*:\\s*10000", "\"minViable\": 1000");
        if (t.equals(s)) throw new IllegalStateException("the default spec's event limits changed; update Cli.smallSpec");
        Files.createDirectories(dir);
        Path f = dir.resolve("small-spec.json");
        Files.writeString(f, t);
        return f;
    }

    /** Fast analysis options for tests: the small spec, no plot files, no PDF. */
    static List<String> fast(Path spec) {
        return new ArrayList<>(List.of("--spec", spec.toString(), "--no-plots", "--no-pdf"));
    }

    /** The command line {@code command} (sub-command, arguments, options) followed by the {@code options}. */
    static String[] args(List<String> options, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(options);
        return all.toArray(new String[0]);
    }
}
