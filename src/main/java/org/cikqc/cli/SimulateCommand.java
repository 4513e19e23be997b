package org.cikqc.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.ClogMode;
import org.cikqc.sim.SimulatedFcs;
import org.cikqc.sim.SimulationSpec;
import org.cikqc.sim.SimulationTruth;
import org.cikqc.sim.TruthJson;
import org.cikqc.sim.TruthMetrics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc simulate --out F.fcs [--truth T.json] [options]}: writes a simulated CIK product sample with known
 * truth. Equal options give byte-identical files.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a simulated CIK product FCS file (BD FACSDiva channel layout, float32, $SPILLOVER) "
                + "and a truth JSON with every event's class and the true QC metrics.",
                "Same options and seed give byte-identical files."})
public final class SimulateCommand implements Callable<Integer> {

    /** Source of every option default below, so they cannot drift from {@link SimulationSpec.Builder}. */
    private static final SimulationSpec D = SimulationSpec.defaults();

    @Spec
    CommandSpec spec;

    @Option(names = "--out", converter = Converters.OutputFile.class, required = true, paramLabel = "F.fcs", description = "FCS file to write (atomically)")
    Path out;

    @Option(names = "--truth", converter = Converters.OutputFile.class, paramLabel = "T.json", description = "truth JSON to write (format cikqc-simulation-truth/1); without it only the FCS file is written")
    Path truth;

    @Option(names = "--events", paramLabel = "N", description = "events, 5000..1000000 (default ${DEFAULT-VALUE})")
    int events = D.events();

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default ${DEFAULT-VALUE})")
    long seed = D.seed();

    @Option(names = "--viability", paramLabel = "F", description = "viable fraction of CD45+ singlets (default ${DEFAULT-VALUE})")
    double viability = D.viability();

    @Option(names = "--cd3", paramLabel = "F", description = "CD3+ fraction of viable (default ${DEFAULT-VALUE})")
    double cd3 = D.cd3();

    @Option(names = "--cd3cd56", paramLabel = "F", description = "CD3+CD56+ fraction of viable (default ${DEFAULT-VALUE})")
    double cd3cd56 = D.cd3cd56();

    @Option(names = "--nk", paramLabel = "F", description = "CD3-CD56+ fraction of viable (default ${DEFAULT-VALUE})")
    double nk = D.nk();

    @Option(names = "--cd8", paramLabel = "F", description = "CD8+ fraction of CD3+ (default ${DEFAULT-VALUE})")
    double cd8 = D.cd8OfCd3();

    @Option(names = "--cd4", paramLabel = "F", description = "CD4+ fraction of CD3+ (default ${DEFAULT-VALUE})")
    double cd4 = D.cd4OfCd3();

    @Option(names = "--cd16-nk", paramLabel = "F", description = "CD16+ fraction of NK (default ${DEFAULT-VALUE})")
    double cd16Nk = D.cd16OfNk();

    @Option(names = "--no-cd45", description = "panel without CD45 (V500-A); implies --non-leukocytes 0")
    boolean noCd45;

    @Option(names = "--no-cd4cd8", description = "panel without CD8 (APC-A) and CD4 (PE-Cy7-A)")
    boolean noCd4Cd8;

    @Option(names = "--cd16", description = "panel with CD16 (APC-Cy7-A)")
    boolean withCd16;

    @Option(names = "--spillover", paramLabel = "L", description = "spillover level, FITC->PE coefficient, 0..0.5 (default ${DEFAULT-VALUE})")
    double spillover = D.spillover();

    @Option(names = "--noise", paramLabel = "X", description = "detector noise multiplier, 0..5 (default ${DEFAULT-VALUE})")
    double noise = D.noise();

    @Option(names = "--debris", paramLabel = "F", description = "debris fraction of events (default ${DEFAULT-VALUE})")
    double debris = D.debris();

    @Option(names = "--doublets", paramLabel = "F", description = "doublet fraction of events (default ${DEFAULT-VALUE})")
    double doublets = D.doublets();

    @Option(names = "--non-leukocytes", paramLabel = "F", description = "CD45- event fraction (default 0.01; 0 with --no-cd45)")
    Double nonLeukocytes;

    @Option(names = "--dead-dim", paramLabel = "F", description = "fraction of dead cells with dim 7-AAD, between the"
            + " live and the bright dead cells; more makes the viability valley shallow (default ${DEFAULT-VALUE})")
    double deadDim = D.deadDim();

    @Option(names = "--dead-dim-level", paramLabel = "X", description = "median 7-AAD of the dim dead cells, 10..100000;"
            + " nearer the live cells it fills the viability valley (default ${DEFAULT-VALUE})")
    double deadDimLevel = D.deadDimLevel();

    @Option(names = "--beads", paramLabel = "F", description = "counting-bead fraction of events, 0..0.3: identical"
            + " particles bright in every detector, which analyze finds and leaves out of the cells (default ${DEFAULT-VALUE})")
    double beads = D.beads();

    @Option(names = "--saturated", paramLabel = "F", description = "fraction forced to $PnR-1 in one channel (default ${DEFAULT-VALUE})")
    double saturated = D.saturated();

    @Option(names = "--clog", paramLabel = "MODE", description = "none, gap-burst or signal-shift (default gap-burst)",
            converter = ClogConverter.class)
    ClogMode clog = D.clog();

    @Option(names = "--clog-start", paramLabel = "F", description = "clog start, fraction of the run (default ${DEFAULT-VALUE})")
    double clogStart = D.clogStart();

    @Option(names = "--clog-duration", paramLabel = "F", description = "clog length, fraction of the run (default ${DEFAULT-VALUE})")
    double clogDuration = D.clogDuration();

    @Option(names = "--rate", paramLabel = "EV/S", description = "mean event rate per second (default ${DEFAULT-VALUE})")
    double rate = D.eventRate();

    /** Accepts ClogMode names with '-' or '_', any case. */
    static final class ClogConverter implements picocli.CommandLine.ITypeConverter<ClogMode> {
        @Override
        public ClogMode convert(String value) {
            try {
                return ClogMode.valueOf(value.strip().replace('-', '_').toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not one of none, gap-burst, signal-shift");
            }
        }
    }

    /** The spec these options describe (validated). */
    SimulationSpec simulationSpec() {
        SimulationSpec.Builder b = SimulationSpec.builder().events(events).seed(seed).viability(viability).cd3(cd3)
                .cd3cd56(cd3cd56).nk(nk).cd8OfCd3(cd8).cd4OfCd3(cd4).cd16OfNk(cd16Nk).withCd45(!noCd45)
                .withCd4Cd8(!noCd4Cd8).withCd16(withCd16).spillover(spillover).noise(noise).debris(debris).deadDim(deadDim).deadDimLevel(deadDimLevel)
                .doublets(doublets).beads(beads).saturated(saturated).clog(clog).clogStart(clogStart)
                .clogDuration(clogDuration).eventRate(rate);
        if (nonLeukocytes != null) b.nonLeukocytes(nonLeukocytes);
        try {
            return b.build();
        } catch (org.cikqc.common.CikqcException e) {
            if (e.kind() != org.cikqc.common.CikqcException.Kind.USAGE) throw e;
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), inOptionTerms(e.getMessage()));
        }
    }

    /** The simulation spec's field names and the options that set them, a name before any name it starts with. */
    private static final String[][] FIELD_OPTIONS = {
            {"nonLeukocytes must be 0 without CD45", "--non-leukocytes must be 0 with --no-cd45"},
            {"deadDimLevel", "--dead-dim-level"}, {"nonLeukocytes", "--non-leukocytes"},
            {"clogDuration", "--clog-duration"},
            {"clogStart", "--clog-start"}, {"cd8OfCd3", "--cd8"}, {"cd4OfCd3", "--cd4"}, {"cd16OfNk", "--cd16-nk"},
            {"eventRate", "--rate"}, {"deadDim", "--dead-dim"}, {"cd3cd56", "--cd3cd56"}, {"viability", "--viability"},
            {"saturated", "--saturated"}, {"spillover", "--spillover"}, {"doublets", "--doublets"},
            {"debris", "--debris"}, {"beads", "--beads"}, {"events", "--events"}, {"noise", "--noise"}, {"cd3", "--cd3"}, {"nk", "--nk"},
            {"clog mode", "--clog"}};

    /** Any field name of {@link #FIELD_OPTIONS} as a whole word, tried in the table's order. */
    private static final java.util.regex.Pattern FIELD = java.util.regex.Pattern.compile("(?<![\\p{L}\\p{N}])(?:"
            + java.util.Arrays.stream(FIELD_OPTIONS).map(f -> java.util.regex.Pattern.quote(f[0]))
                    .collect(java.util.stream.Collectors.joining("|")) + ")(?![\\p{L}\\p{N}])");

    /** A simulation spec's message ("simulation spec: cd8OfCd3 + cd4OfCd3 must not exceed 1") in option names. */
    static String inOptionTerms(String message) {
        String m = message.startsWith("simulation spec: ") ? message.substring("simulation spec: ".length()) : message;
        return FIELD.matcher(m).replaceAll(r -> java.util.regex.Matcher.quoteReplacement(java.util.Arrays
                .stream(FIELD_OPTIONS).filter(f -> f[0].equals(r.group())).findFirst().orElseThrow()[1]));
    }

    @Override
    public Integer call() {
        if (truth != null && Converters.sameFile(out, truth)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--out and --truth name the same file");
        }
        SimulationSpec s = simulationSpec();
        SimulationTruth t = writeBoth(s);
        TruthMetrics m = t.metrics();
        spec.commandLine().getErr().printf(Locale.ROOT,
                "cikqc: simulated %,d events to %s%s; true viability %.2f %%, CD3+ %.2f %%, CD3+CD56+ %.2f %% "
                        + "(of kept events; %,d removed as clog/margin)%n",
                t.events(), out, truth == null ? "" : " (truth " + truth + ")", nz(m.viabilityPct()),
                nz(m.cd3PctOfViable()), nz(m.cd3cd56PctOfViable()), t.events() - m.events());
        return 0;
    }

    /**
     * Writes the FCS file and, with {@code --truth}, the truth: the FCS file is renamed into place only after the
     * truth is written, so a failure leaves neither (nor a replaced old FCS file).
     */
    private SimulationTruth writeBoth(SimulationSpec s) {
        if (truth == null) return SimulatedFcs.write(new CikSimulator(s), out);
        SimulationTruth[] written = new SimulationTruth[1];
        try {
            org.cikqc.common.AtomicFiles.writeVia(out, tmp -> {
                SimulationTruth t = SimulatedFcs.write(new CikSimulator(s), tmp);
                TruthJson.write(t, truth);
                written[0] = t;
            });
        } catch (org.cikqc.common.CikqcException e) {
            if (written[0] != null) {
                try {
                    java.nio.file.Files.deleteIfExists(truth); // a truth without its FCS file describes nothing
                } catch (java.io.IOException ignored) {
                    // the failure being thrown is what the user needs to see
                }
            }
            throw e;
        }
        return written[0];
    }

    private static double nz(Double d) {
        return d == null ? Double.NaN : d;
    }
}
