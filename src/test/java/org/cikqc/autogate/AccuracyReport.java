package org.cikqc.autogate;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.cikqc.sim.SimulationSpec;

/**
 * Measures the auto-gating accuracy against the simulator's truth and prints a markdown table (median and maximum
 * absolute error in percentage points per metric, per spillover level). Not a test: run it by hand, e.g.
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp target/test-classes:target/classes:$(cat cp.txt) org.cikqc.autogate.AccuracyReport 5000,50000,500000 0,0.15,0.3 5
 * </pre>
 * Arguments: event counts, spillover levels, number of seeds (1..k). The compositions are those of
 * {@link CikAutoGatingAccuracyTest#COMPOSITIONS}.
 */
public final class AccuracyReport {
    private AccuracyReport() { }

    public static void main(String[] args) {
        int[] sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {5_000, 50_000};
        double[] spills = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToDouble(Double::parseDouble).toArray()
                : new double[] {0, 0.15, 0.3};
        int seeds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        PrintStream out = System.out;
        Map<String, ToDoubleFunction<SimulatedRun>> metrics = new LinkedHashMap<>();
        metrics.put("viability", SimulatedRun::viabilityErr);
        metrics.put("%CD3+", SimulatedRun::cd3Err);
        metrics.put("%CD3+CD56+", SimulatedRun::cd3cd56Err);
        metrics.put("%NK", SimulatedRun::nkErr);
        metrics.put("%CD8 of CD3", SimulatedRun::cd8Err);
        metrics.put("%CD4 of CD3", SimulatedRun::cd4Err);
        out.println("| spillover | events | runs | flagged | " + String.join(" | ", metrics.keySet()) + " |");
        out.println("|---|---|---|---|" + "---|".repeat(metrics.size()));
        for (double spill : spills) {
            for (int events : sizes) {
                Map<String, List<Double>> errs = new LinkedHashMap<>();
                metrics.keySet().forEach(k -> errs.put(k, new ArrayList<>()));
                int runs = 0;
                int flagged = 0;
                for (double[] c : CikAutoGatingAccuracyTest.COMPOSITIONS) {
                    for (long seed = 1; seed <= seeds; seed++) {
                        SimulatedRun r = SimulatedRun.of(SimulationSpec.builder().events(events).seed(seed)
                                .viability(c[0]).cd3cd56(c[1]).spillover(spill).build());
                        runs++;
                        if (r.fit.flagged()) flagged++;
                        metrics.forEach((k, f) -> {
                            double e = f.applyAsDouble(r);
                            if (!Double.isNaN(e)) errs.get(k).add(Math.abs(e));
                        });
                    }
                }
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %.2f | %,d | %d | %d |", spill,
                        events, runs, flagged));
                errs.forEach((k, v) -> {
                    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    double med = a.length == 0 ? Double.NaN : a.length % 2 == 1 ? a[a.length / 2]
                            : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
                    row.append(String.format(Locale.ROOT, " %.2f / %.2f |", med, a.length == 0 ? Double.NaN : a[a.length - 1]));
                });
                out.println(row);
                out.flush();
            }
        }
    }
}
