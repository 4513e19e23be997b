package org.cikqc.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.cikqc.common.CikqcException;
import org.cikqc.pipeline.AnalysisOptions;
import org.cikqc.pipeline.OutputOptions;
import org.cikqc.qc.QcSpec;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The analysis options shared by {@code analyze}, {@code batch}, {@code hook} and {@code watch} (a picocli
 * {@code @Mixin}): what is analysed how ({@link #analysisOptions()}) and which outputs are written
 * ({@link #outputOptions(Instant)}).
 */
public final class AnalysisArgs {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--spec", paramLabel = "FILE",
            description = "Acceptance spec (cikqc.spec/1 JSON; default: the embedded CIK default, see 'cikqc spec --print-default').")
    Path spec;

    @Option(names = "--channel", paramLabel = "ROLE=NAME",
            description = "Map a panel role to a channel by its $PnN (exact, then case-insensitive; $PnS is not "
                    + "matched), overriding the automatic mapping (repeatable), e.g. --channel CD56=\"PE-A\"; "
                    + "ROLE=none leaves an optional role unmapped.")
    Map<String, String> channels = new LinkedHashMap<>();

    @Option(names = "--control", paramLabel = "ROLE=FILE",
            description = "A control tube (repeatable): fmo-cd56, fmo-cd3, unstained, isotype, ... e.g. --control fmo-cd56=tube7.fcs.")
    Map<String, Path> controls = new LinkedHashMap<>();

    @Option(names = "--compensation", paramLabel = "M.csv",
            description = "Spillover matrix (FlowJo-style CSV) replacing the file's own $SPILLOVER.")
    Path compensation;

    @Option(names = "--dataset", paramLabel = "N", converter = Converters.NonNegative.class,
            description = "Data set to analyse, 0-based (default: the last FCS 3.x data set, else the first).")
    Integer dataSet;

    @Option(names = "--seed", paramLabel = "N", converter = Converters.Seed.class, description = "Sampling seed for automated gating (default: the spec's).")
    Long seed;

    @Option(names = "--lot", paramLabel = "ID", converter = Converters.Identifier.class,
            description = "Batch/lot id for the dossier (default: from $LOT/LOT/BATCH keywords); one line, not empty.")
    String lot;

    @Option(names = "--bead-count", paramLabel = "N",
            description = "Counting beads per tube (the bead lot's figure, e.g. 50000 for a Trucount tube): with "
                    + "--sample-volume, absolute counts (cells/µL) from the beads found in the sample.")
    Long beadCount;

    @Option(names = "--sample-volume", paramLabel = "UL",
            description = "Microlitres of product in the tube (with --bead-count).")
    Double sampleVolume;

    @Option(names = "--no-plots", description = "Write no plot files (PNG/SVG); the PDF dossier keeps its vector plots.")
    boolean noPlots;

    @Option(names = "--no-svg", description = "Write PNG plots only.")
    boolean noSvg;

    @Option(names = "--no-pdf", description = "Write no PDF dossier (and no summary.pdf).")
    boolean noPdf;

    @Option(names = "--dpi", paramLabel = "N", description = "Resolution of PNG plots (72-600, default ${DEFAULT-VALUE}).")
    int dpi = 150;

    /**
     * The analysis options.
     *
     * @throws CikqcException INVALID_SPEC (exit 4) for a spec that cannot be read or does not validate;
     *                        INVALID_INPUT (exit 3) for a control or compensation file that does not exist
     * @throws CommandLine.ParameterException (exit 2) for malformed option values
     */
    public AnalysisOptions analysisOptions() {
        Map<String, String> ch = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : channels.entrySet()) {
            String role = e.getKey().strip();
            String name = e.getValue() == null ? "" : e.getValue().strip();
            if (role.isEmpty() || name.isEmpty()) throw usage("--channel needs ROLE=NAME, got '" + e.getKey() + "=" + e.getValue() + "'");
            ch.put(role, name);
        }
        Map<String, Path> ctl = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : controls.entrySet()) {
            String role = e.getKey().strip().toLowerCase(Locale.ROOT);
            if (!role.matches("[a-z0-9][a-z0-9_-]*")) {
                throw usage("--control role '" + e.getKey() + "' is not a role name (e.g. fmo-cd56, unstained, isotype)");
            }
            Path f = e.getValue();
            requireFile(f, "control file (" + role + ")");
            ctl.put(role, f.toAbsolutePath().normalize());
        }
        if (compensation != null) requireFile(compensation, "compensation matrix");
        QcSpec s = spec == null ? QcSpec.defaultSpec() : QcSpec.load(spec);
        Path specFile = spec == null ? null : spec.toAbsolutePath().normalize();
        Path comp = compensation == null ? null : compensation.toAbsolutePath().normalize();
        AnalysisOptions.BeadCount beads = null;
        if ((beadCount == null) != (sampleVolume == null)) {
            throw usage("--bead-count and --sample-volume go together: absolute counts need both");
        }
        if (beadCount != null) {
            try {
                beads = new AnalysisOptions.BeadCount(beadCount, sampleVolume);
            } catch (IllegalArgumentException e) {
                throw usage("--bead-count/--sample-volume: " + e.getMessage());
            }
        }
        return new AnalysisOptions(s, specFile, ch, ctl, comp, dataSet == null ? -1 : dataSet, seed, lot, beads); // lot: Converters.Identifier
    }

    /** The output options, with the time printed in the PDFs. */
    public OutputOptions outputOptions(Instant generatedAt) {
        if (dpi < 72 || dpi > 600) throw usage("--dpi must be between 72 and 600, got " + dpi);
        return new OutputOptions(!noPlots, !noPdf, !noPlots && !noSvg, dpi, generatedAt);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(mixee.commandLine(), message);
    }

    /** A file named on the command line must exist and be a regular file (one line naming it otherwise, exit 3). */
    private static void requireFile(Path f, String what) {
        String why = org.cikqc.common.RegularFiles.problem(f);
        if (why != null) throw CikqcException.input(f + ": " + what + ("does not exist".equals(why) ? " not found" : " " + why));
    }
}
