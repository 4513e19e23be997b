package org.cikqc.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.SimulatedFcs;
import org.cikqc.sim.SimulationSpec;

/** Small simulated FCS files for the orchestration tests. */
public final class Sims {
    private Sims() { }

    /** A PASS-like sample (default composition) of {@code events} events. */
    public static Path write(Path dir, String name, long seed, int events) {
        return write(dir, name, SimulationSpec.builder().events(events).seed(seed).build());
    }

    /** A sample with the given viability, CD3 and CD3+CD56+ fractions. */
    public static Path write(Path dir, String name, long seed, int events, double viability, double cd3, double cd3cd56) {
        return write(dir, name, SimulationSpec.builder().events(events).seed(seed).viability(viability).cd3(cd3)
                .cd3cd56(cd3cd56).build());
    }

    /** Simulates {@code spec} into {@code dir/name}. */
    public static Path write(Path dir, String name, SimulationSpec spec) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path f = dir.resolve(name);
        SimulatedFcs.write(new CikSimulator(spec), f);
        return f;
    }

    /** Copies {@code from} to {@code to} non-atomically (as a slow instrument export would), in two halves. */
    public static void copySlowly(Path from, Path to, long pauseMillis) throws IOException, InterruptedException {
        byte[] all = Files.readAllBytes(from);
        int half = all.length / 2;
        try (OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            out.write(all, 0, half);
            out.flush();
            Thread.sleep(pauseMillis);
            out.write(all, half, all.length - half);
        }
    }

    /** Writes a file that is not FCS at all. */
    public static Path corrupt(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve(name);
        Files.writeString(f, "this is not an FCS file, just text that happens to end in .fcs\n");
        return f;
    }
}
