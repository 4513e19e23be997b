package org.cikqc.qc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The acceptance specification: a versioned JSON document ({@code "schema": "cikqc.spec/1"}) holding the panel
 * (channel roles and their aliases), the settings the automated gating reads, and the release limits. A
 * {@code QcSpec} is immutable and always valid: {@link #parse(byte[], String)} checks every field and rejects
 * unknown ones, reporting {@code "<file>: <json.path> <what is wrong> (got X)"} as a
 * {@link CikqcException.Kind#INVALID_SPEC} error (exit 4).
 *
 * <p>The {@linkplain #canonicalBytes() canonical form} is the spec re-written from its validated values in a fixed
 * key order and number format, so formatting or key order in the source file does not change the
 * {@linkplain #sha256() hash}. The embedded default ({@code org/cikqc/qc/default-spec.json}) is stored in canonical
 * form: its file hash equals {@code defaultSpec().sha256()}. Field meanings and sources: {@code docs/spec.md}.
 */
public final class QcSpec {

    /** The schema identifier this version reads and writes. */
    public static final String SCHEMA = "cikqc.spec/1";

    /** The class-path resource of the embedded default spec. */
    public static final String DEFAULT_RESOURCE = "/org/cikqc/qc/default-spec.json";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+){0,3}([-+][0-9A-Za-z.-]+)?");
    /** Doubles in the canonical form keep 15 significant digits (every decimal with ≤ 15 digits round-trips). */
    private static final CanonicalJson CANONICAL = new CanonicalJson(15);

    // ---------------------------------------------------------------- model

    /**
     * The panel: for each role whether it is required and the aliases that identify its channel.
     *
     * @param roles the roles this spec uses, in {@link PanelRole} order; roles absent here are not mapped
     */
    public record Panel(Map<PanelRole, RoleSpec> roles) {
        public Panel {
            roles = enumCopy(PanelRole.class, roles);
        }

        /** The settings of a role, if the spec uses it. */
        public Optional<RoleSpec> role(PanelRole role) { return Optional.ofNullable(roles.get(role)); }

        /** True when the spec requires this role. */
        public boolean isRequired(PanelRole role) {
            RoleSpec r = roles.get(role);
            return r != null && r.required();
        }
    }

    /**
     * One panel role.
     *
     * @param required    a missing channel is an error (exit 4) rather than an absent optional marker
     * @param aliases     names that identify the channel (token-aware; a trailing {@code *} is a token prefix)
     * @param weakAliases names that identify it only when the label names no other marker role (dyes that are also
     *                    antibody conjugates, e.g. eFluor 780: {@code "APC-eFluor 780 - CD3"} is CD3, not viability)
     */
    public record RoleSpec(boolean required, List<String> aliases, List<String> weakAliases) {
        public RoleSpec {
            aliases = List.copyOf(aliases);
            weakAliases = List.copyOf(weakAliases);
        }
    }

    /**
     * The settings the automated gating reads (the fitters live in {@code autogate}).
     *
     * @param sample        pass-1 sampling
     * @param acquisitionQc acquisition-QC binning and anomaly settings
     * @param singlets      singlet (FSC-A vs FSC-H) regression band
     * @param thresholds    marker-threshold fitting and the allowed windows
     */
    public record Gating(Sample sample, AcquisitionQc acquisitionQc, Singlets singlets, Thresholds thresholds) { }

    /**
     * Pass-1 sample.
     *
     * @param events the bounded sample size (reservoir) used to fit gates
     * @param seed   the seed of the sampler (recorded in provenance)
     */
    public record Sample(int events, long seed) { }

    /**
     * Acquisition QC over {@code $TIME} (see {@code org.cikqc.autogate.AcquisitionQc} for the rules).
     *
     * @param eventsPerBin    events per time bin (flow rate and signal medians are computed per bin)
     * @param rateThreshold   a bin's event count is anomalous when it departs from the running median of the counts
     *                        by more than this many robust SDs (1.4826 × MAD of the residuals, at least the Poisson
     *                        SD) ...
     * @param minRateChange   ... and by more than this fraction of that running median
     * @param driftThreshold  a bin's median of a fluorescence channel is anomalous when it departs from the running
     *                        median of the bin medians by more than this many robust SDs (at least the sampling
     *                        error of a median) ...
     * @param minDriftShift   ... and by more than this on the asinh(x/150)/ln 10 scale (0.05 ≈ 12 % of a bright
     *                        signal)
     * @param consecutiveBins a run of good bins shorter than this between anomalous bins is removed as well
     * @param removeMargins   remove margin events (at the $PnR ceiling or at/below the minimum) on scatter and markers
     */
    public record AcquisitionQc(int eventsPerBin, double rateThreshold, double minRateChange, double driftThreshold,
                                double minDriftShift, int consecutiveBins, boolean removeMargins) { }

    /**
     * Singlet gate: robust linear regression of FSC-H on FSC-A; events inside the prediction band are singlets.
     *
     * @param predictionLevel the band is the two-sided prediction interval at this level
     * @param maxIterations   iterations of the robust (IRLS) fit
     */
    public record Singlets(double predictionLevel, int maxIterations) { }

    /**
     * How a dim shoulder on the upper flank of the viable peak of the viability dye is read
     * ({@code gating.thresholds.viabilityDimShoulder}). The dye alone cannot tell dying cells (dye-dim) from live
     * cells brighter than the resting ones (activated blasts, by autofluorescence or, with an amine dye, by more
     * surface protein). Under the default, a shoulder whose cells are clearly larger than the viable ones on
     * FSC-A is read as live ({@link org.cikqc.autogate.LiveBySize}); a validated shoulder is not read again.
     */
    public enum DimShoulder {
        /**
         * {@code "non-viable"} (the default): the threshold goes where the shoulder begins, and the WARNING
         * {@code DIM_SHOULDER} keeps the valley as the other end of the plausible range, so viability is decided
         * only when it is decided at both ends.
         */
        NON_VIABLE("non-viable"),
        /**
         * {@code "non-viable-validated"}: the site has shown, for its dye and product (with a control or a sorted
         * comparison), that such a shoulder is dying cells: the threshold goes where it begins, with an INFO note
         * only, and viability is decided on it.
         */
        NON_VIABLE_VALIDATED("non-viable-validated"),
        /** {@code "viable"}: the shoulder is live cells; the threshold stays at the valley above it. */
        VIABLE("viable");

        private final String text;

        DimShoulder(String text) { this.text = text; }

        /** The spec's word for it. */
        public String text() { return text; }

        /** The value the spec's word names, or null. */
        static DimShoulder of(String text) {
            for (DimShoulder d : values()) if (d.text.equals(text)) return d;
            return null;
        }
    }

    /**
     * Marker thresholds (density valley, FMO-percentile fallback) and their validated windows.
     *
     * @param fmoPercentile   percentile of the FMO control (or of the negative peak) used when no valley is found
     * @param minPeakFraction density peaks smaller than this fraction of the highest peak are ignored
     * @param windows         per marker role, the allowed range of the fitted threshold in data units (compensated
     *                        linear scale values, before any display transform); a threshold outside is a gating
     *                        issue; roles without a window are not checked
     * @param windowsFullScale the top of scale the windows are stated for, or null: on a channel whose top of scale
     *                        ({@code $PnR}, {@code $PnR}/{@code $PnG}, or a log channel's decoded top) differs, each
     *                        window is multiplied by the channel's top over this; null states windows in data units on
     *                        every channel (not rescaled)
     * @param dimShoulder   how a dim shoulder on the viable peak of the viability dye (7-AAD-dim, intermediate
     *                        amine-dye uptake), not a peak of their own, is read ({@code "viabilityDimShoulder"})
     */
    public record Thresholds(double fmoPercentile, double minPeakFraction, Map<PanelRole, Window> windows,
                             Double windowsFullScale, DimShoulder dimShoulder) {
        public Thresholds {
            Objects.requireNonNull(dimShoulder, "dimShoulder");
            windows = enumCopy(PanelRole.class, windows);
            if (windowsFullScale != null && !(windowsFullScale > 0 && Double.isFinite(windowsFullScale))) {
                throw new IllegalArgumentException("windowsFullScale must be a positive number or null");
            }
        }

        /** The allowed window of a role's threshold as the spec states it, if any. */
        public Optional<Window> window(PanelRole role) { return Optional.ofNullable(windows.get(role)); }

        /** True when a dim shoulder on the viable peak counts as viable ({@link DimShoulder#VIABLE}). */
        public boolean dimShoulderViable() { return dimShoulder == DimShoulder.VIABLE; }

        /**
         * The factor a window's upper end is multiplied by on a channel whose top of scale is {@code channelTop}:
         * {@code channelTop / windowsFullScale}, or 1 when windows are in data units (no full scale) or the top is not
         * known (NaN, not positive).
         */
        public double windowFactor(double channelTop) {
            if (windowsFullScale == null || !(channelTop > 0) || !Double.isFinite(channelTop)) return 1;
            return channelTop / windowsFullScale;
        }

        /**
         * The factor a window's lower end is multiplied by on a channel whose top of scale is {@code channelTop}: the
         * same as {@link #windowFactor} on a scale no wider than {@code windowsFullScale}, its square root on a wider
         * one. A wider scale mostly adds decades at the top: the noise floor and the dim populations of a 22- or 24-bit
         * instrument sit a few times above an 18-bit BD channel's, not 16 or 64 times (the corpus's 24-bit Accuri C6
         * file has its FL1–FL3 medians at 1,600–5,300 of 16,777,216; the 22-bit Aurora's raw detectors put unstained
         * cells at 100–800 of 4,194,304), so the full factor would push a window's lower end above real thresholds.
         * A narrower scale (16-bit linear, a 4-decade log channel) compresses the whole range, both ends alike.
         */
        public double lowerWindowFactor(double channelTop) {
            double f = windowFactor(channelTop);
            return f > 1 ? Math.sqrt(f) : f;
        }

        /**
         * The allowed window of a role's threshold on a channel whose top of scale is {@code channelTop}: the spec's
         * window with its lower end times {@link #lowerWindowFactor} and its upper end times {@link #windowFactor}.
         */
        public Optional<Window> window(PanelRole role, double channelTop) {
            double lo = lowerWindowFactor(channelTop);
            double hi = windowFactor(channelTop);
            return window(role).map(w -> lo == 1 && hi == 1 ? w : new Window(w.min() * lo, w.max() * hi));
        }
    }

    /**
     * A closed interval [min, max] in data units.
     *
     * @param min lower bound
     * @param max upper bound (greater than min)
     */
    public record Window(double min, double max) {
        /** True when {@code x} lies in [min, max]. */
        public boolean contains(double x) { return x >= min && x <= max; }

        @Override
        public String toString() { return "[" + SpecReader.fmt(min) + ", " + SpecReader.fmt(max) + "]"; }
    }

    /**
     * Release limits and decision settings.
     *
     * @param events        event sufficiency (validity of the run)
     * @param populations   event counts needed to judge a population against a limit
     * @param acquisitionQc acquisition-QC removal limits
     * @param guardBandK    coverage factor k of the guard band
     * @param attributes    the limit and method imprecision of every metric (all seven present)
     * @param instrumentQc  the instrument-QC record rules, or null: no instrument-QC check (specs before 1.5.0)
     * @param sampleHold    the sample hold-time rules, or null: no hold-time check (the default spec: which keyword
     *                      records the start of the hold is the site's own)
     */
    public record Limits(Events events, PopulationLimits populations, AcquisitionLimits acquisitionQc,
                         double guardBandK, Map<Metric, AttributeSpec> attributes, InstrumentQcLimits instrumentQc,
                         SampleHoldLimits sampleHold) {
        public Limits {
            attributes = enumCopy(Metric.class, attributes);
        }

        /** The settings of one metric. */
        public AttributeSpec attribute(Metric m) { return attributes.get(m); }
    }

    /**
     * Event sufficiency.
     *
     * @param minSingletLeukocytes minimum CD45+ singlets (singlets without CD45)
     * @param minViable            minimum viable events
     */
    public record Events(long minSingletLeukocytes, long minViable) { }

    /**
     * Population size rules (LLOQ).
     *
     * @param minEventsForLimit a population needs at least this many events to be judged against a limit
     * @param lloqEvents        below this many events a population is below the LLOQ (reported as "&lt; LLOQ")
     */
    public record PopulationLimits(long minEventsForLimit, long lloqEvents) { }

    /**
     * Acquisition-QC removal limits, in percent of events.
     *
     * @param reviewAbovePct       above this the result is flagged for review (the verdict may still pass)
     * @param notEvaluableAbovePct above this the run is not evaluable (verdict INDETERMINATE)
     */
    public record AcquisitionLimits(double reviewAbovePct, double notEvaluableAbovePct) { }

    /**
     * The cytometer's own QC record ({@link InstrumentQc}: BD's CST performance check in the FCS file).
     *
     * @param maxAgeHours           the setup must have run at most this many hours before the acquisition started
     * @param notRecordedNotEvaluable a file that carries no instrument-QC record makes the run not evaluable (else
     *                              the check is NOT_APPLICABLE, as for any instrument that does not write one)
     */
    public record InstrumentQcLimits(double maxAgeHours, boolean notRecordedNotEvaluable) {
        public InstrumentQcLimits {
            if (!(maxAgeHours > 0 && maxAgeHours <= 8760)) throw new IllegalArgumentException("maxAgeHours must be in (0, 8760]");
        }
    }

    /**
     * The sample's hold time ({@link SampleHold}): from the time recorded in a keyword of the site's own to the
     * acquisition start.
     *
     * @param startKeyword            the FCS keyword that records when the hold started (thaw, sampling, staining)
     * @param maxMinutes              the validated hold time: at most this many minutes
     * @param notRecordedNotEvaluable a file without the keyword makes the run not evaluable (else the check is
     *                                NOT_APPLICABLE, noted)
     */
    public record SampleHoldLimits(String startKeyword, double maxMinutes, boolean notRecordedNotEvaluable) {
        public SampleHoldLimits {
            Objects.requireNonNull(startKeyword, "startKeyword");
            if (startKeyword.isBlank()) throw new IllegalArgumentException("startKeyword must not be blank");
            if (!(maxMinutes > 0 && maxMinutes <= 525_600)) {
                throw new IllegalArgumentException("maxMinutes must be in (0, 525600]");
            }
        }
    }

    /**
     * One attribute.
     *
     * @param limit       the acceptance limit in percent, or null for report-only attributes
     * @param methodCvPct validated method imprecision: relative CV in percent of the value
     * @param basis       where the limit comes from (free text, part of the spec hash)
     */
    public record AttributeSpec(Limit limit, double methodCvPct, String basis) {
        public AttributeSpec {
            Objects.requireNonNull(basis, "basis");
        }

        /** True when the attribute is reported without a limit. */
        public boolean reportOnly() { return limit == null; }
    }

    // ---------------------------------------------------------------- instance

    private final String id;
    private final String version;
    private final String description;
    private final Panel panel;
    private final Gating gating;
    private final Limits limits;
    private final byte[] canonical;
    private final String sha256;
    private final String fileSha256;

    private QcSpec(String id, String version, String description, Panel panel, Gating gating, Limits limits) {
        this.id = id;
        this.version = version;
        this.description = description;
        this.panel = panel;
        this.gating = gating;
        this.limits = limits;
        this.canonical = CANONICAL.bytes(tree());
        this.sha256 = sha256Hex(canonical);
        this.fileSha256 = null;
    }

    /** {@code s} as loaded from a file whose bytes hash to {@code fileSha256}. */
    private QcSpec(QcSpec s, String fileSha256) {
        this.id = s.id;
        this.version = s.version;
        this.description = s.description;
        this.panel = s.panel;
        this.gating = s.gating;
        this.limits = s.limits;
        this.canonical = s.canonical;
        this.sha256 = s.sha256;
        this.fileSha256 = fileSha256;
    }

    /** The spec identifier (e.g. {@code cik-release-default}). */
    public String id() { return id; }

    /** The spec version (e.g. {@code 1.0.0}). */
    public String version() { return version; }

    /** Free-text description. */
    public String description() { return description; }

    /** Panel roles and aliases. */
    public Panel panel() { return panel; }

    /** Gating settings. */
    public Gating gating() { return gating; }

    /** Limits. */
    public Limits limits() { return limits; }

    /** The canonical form (UTF-8 JSON, fixed key order and number format, {@code \n} line endings); a copy. */
    public byte[] canonicalBytes() { return canonical.clone(); }

    /** Lower-case hex SHA-256 of {@link #canonicalBytes()}. */
    public String sha256() { return sha256; }

    /**
     * Lower-case hex SHA-256 of the file bytes this spec was {@linkplain #load loaded} from, read once with the
     * spec itself (so a file edited while a batch runs is recorded as the version in use); null when it was parsed
     * from bytes or is the embedded default. Not part of {@link #equals}: the same spec may be written two ways.
     */
    public String fileSha256() { return fileSha256; }

    @Override
    public String toString() { return "QcSpec[" + id + " " + version + " sha256=" + sha256 + "]"; }

    @Override
    public boolean equals(Object o) {
        return o instanceof QcSpec s && s.sha256.equals(sha256);
    }

    @Override
    public int hashCode() { return sha256.hashCode(); }

    // ---------------------------------------------------------------- loading

    private static final class DefaultHolder {
        static final QcSpec DEFAULT = parse(defaultSpecBytes(), "default-spec.json");
    }

    /** The embedded default spec. */
    public static QcSpec defaultSpec() { return DefaultHolder.DEFAULT; }

    /** The embedded default spec file, byte for byte (it is stored in canonical form). */
    public static byte[] defaultSpecBytes() {
        try (InputStream in = QcSpec.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing from the build");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + DEFAULT_RESOURCE, e);
        }
    }

    /** The largest spec file read (a spec is a few KiB). */
    static final long MAX_SPEC_BYTES = 16L << 20;

    /** Reads and validates a spec file. Unreadable or invalid → {@link CikqcException.Kind#INVALID_SPEC}. */
    public static QcSpec load(Path file) {
        byte[] bytes;
        try {
            bytes = org.cikqc.common.RegularFiles.readAll(file, MAX_SPEC_BYTES, "spec file");
        } catch (NoSuchFileException e) {
            throw CikqcException.spec(file + ": spec file not found");
        } catch (IOException e) {
            throw new CikqcException(CikqcException.Kind.INVALID_SPEC, file + ": cannot read spec file: " + org.cikqc.common.IoErrors.describe(e), e);
        }
        return new QcSpec(parse(bytes, file.toString()), org.cikqc.common.Sha256.hex(bytes));
    }

    /**
     * Parses and validates a spec document.
     *
     * @param json   UTF-8 JSON
     * @param source the name used in error messages (usually the file name)
     */
    public static QcSpec parse(byte[] json, String source) {
        SpecReader r = new SpecReader(source);
        JsonNode tree = r.parse(json);
        SpecReader.Obj root = r.root(tree, "schema", "id", "version", "description", "panel", "gating", "limits");
        String schema = root.string("schema");
        if (!SCHEMA.equals(schema)) {
            throw r.fail("schema", "must be \"" + SCHEMA + "\" (the only spec schema this cikqc reads)",
                    root.node().get("schema"));
        }
        String id = root.string("id");
        if (!ID.matcher(id).matches()) {
            throw r.fail("id", "must be 1-64 letters, digits, '.', '_' or '-' starting with a letter or digit",
                    root.node().get("id"));
        }
        String version = root.string("version");
        if (!VERSION.matcher(version).matches()) {
            throw r.fail("version", "must look like 1.0.0 (digits and dots, optional -suffix)", root.node().get("version"));
        }
        String description = root.optString("description", "");
        Panel panel = readPanel(r, root.obj("panel", "roles"));
        Gating gating = readGating(r, root.obj("gating", "sample", "acquisitionQc", "singlets", "thresholds"));
        Limits limits = readLimits(r, root.obj("limits", "events", "populations", "acquisitionQc", "instrumentQc",
                "sampleHold", "guardBand", "attributes"));
        return new QcSpec(id, version, description, panel, gating, limits);
    }

    private static Panel readPanel(SpecReader r, SpecReader.Obj panel) {
        SpecReader.Obj roles = panel.obj("roles");
        Map<PanelRole, RoleSpec> out = new EnumMap<>(PanelRole.class);
        Map<Label.Alias, String> aliasOwner = new LinkedHashMap<>();
        for (String key : roles.keys()) {
            PanelRole role = roleKey(r, roles, key, false);
            SpecReader.Obj o = roles.obj(key, "required", "aliases", "weakAliases");
            boolean required = o.bool("required");
            if (role.isCore() && !required) {
                throw r.fail(o.child("required"), "must be true: " + role + " is a core role of the CIK panel",
                        o.node().get("required"));
            }
            List<String> aliases = o.strings("aliases", true);
            List<String> weak = o.optStrings("weakAliases");
            if (!weak.isEmpty() && !role.isMarker()) {
                throw r.fail(o.child("weakAliases"), "apply only to marker roles, not to " + role,
                        o.node().get("weakAliases"));
            }
            checkAliases(r, o, "aliases", aliases, role, aliasOwner);
            checkAliases(r, o, "weakAliases", weak, role, aliasOwner);
            out.put(role, new RoleSpec(required, aliases, weak));
        }
        for (PanelRole core : PanelRole.values()) {
            if (core.isCore() && !out.containsKey(core)) {
                throw r.fail(roles.child(core.name()), "is required but missing (core role of the CIK panel)", null);
            }
        }
        return new Panel(out);
    }

    private static void checkAliases(SpecReader r, SpecReader.Obj o, String key, List<String> aliases, PanelRole role,
                                     Map<Label.Alias, String> owner) {
        for (int i = 0; i < aliases.size(); i++) {
            String a = aliases.get(i);
            String path = o.child(key) + "[" + i + "]";
            Label.Alias c = Label.Alias.compile(a);
            if (c == null) {
                throw r.fail(path, "is not a usable alias: it needs a letter or digit and may only end with '*'",
                        o.node().get(key).get(i));
            }
            Label.Alias plain = new Label.Alias("", c.tokens(), c.prefixLast());
            String prev = owner.putIfAbsent(plain, role.name());
            if (prev != null) {
                throw r.fail(path, "is also an alias of " + prev + " (same tokens)", o.node().get(key).get(i));
            }
        }
    }

    private static PanelRole roleKey(SpecReader r, SpecReader.Obj parent, String key, boolean markerOnly) {
        PanelRole role = null;
        for (PanelRole p : PanelRole.values()) {
            if (p.name().equals(key)) role = p;
        }
        if (role == null) {
            throw r.fail(parent.child(key), "is not a known panel role (roles: " + roleNames(markerOnly) + ")", null);
        }
        if (markerOnly && !role.isMarker()) {
            throw r.fail(parent.child(key), "is not a marker role (roles: " + roleNames(true) + ")", null);
        }
        return role;
    }

    private static String roleNames(boolean markerOnly) {
        List<String> n = new ArrayList<>();
        for (PanelRole p : PanelRole.values()) {
            if (!markerOnly || p.isMarker()) n.add(p.name());
        }
        return String.join(", ", n);
    }

    private static Gating readGating(SpecReader r, SpecReader.Obj g) {
        SpecReader.Obj s = g.obj("sample", "events", "seed");
        Sample sample = new Sample((int) s.integer("events", 1_000, 10_000_000), s.integer("seed", 0, Long.MAX_VALUE));
        if (g.has("acquisitionQc") && g.node().path("acquisitionQc").has("madThreshold")) {
            throw r.fail(g.child("acquisitionQc") + ".madThreshold", "was replaced by rateThreshold (default 5) and "
                    + "driftThreshold (default 6), with minRateChange (0.2) and minDriftShift (0.05); see docs/spec.md",
                    null);
        }
        SpecReader.Obj a = g.obj("acquisitionQc", "eventsPerBin", "rateThreshold", "minRateChange", "driftThreshold",
                "minDriftShift", "consecutiveBins", "removeMargins");
        AcquisitionQc acq = new AcquisitionQc((int) a.integer("eventsPerBin", 50, 1_000_000),
                a.number("rateThreshold", 0, true, 100, true),
                a.number("minRateChange", 0, false, 10, true),
                a.number("driftThreshold", 0, true, 100, true),
                a.number("minDriftShift", 0, false, 10, true),
                (int) a.integer("consecutiveBins", 1, 10_000),
                a.bool("removeMargins"));
        SpecReader.Obj si = g.obj("singlets", "predictionLevel", "maxIterations");
        Singlets singlets = new Singlets(si.number("predictionLevel", 0.5, true, 1, true),
                (int) si.integer("maxIterations", 1, 1_000));
        SpecReader.Obj t = g.obj("thresholds", "fmoPercentile", "minPeakFraction", "windows", "windowsFullScale",
                "viabilityDimShoulder");
        double fmo = t.number("fmoPercentile", 50, true, 100, true);
        double minPeak = t.number("minPeakFraction", 0, false, 0.5, true);
        DimShoulder shoulder = DimShoulder.of(t.optString("viabilityDimShoulder", DimShoulder.NON_VIABLE.text()));
        if (shoulder == null) {
            throw r.fail(t.child("viabilityDimShoulder"), "must be \"non-viable\", \"non-viable-validated\" or \"viable\"",
                    t.node().get("viabilityDimShoulder"));
        }
        SpecReader.Obj w = t.obj("windows");
        Map<PanelRole, Window> windows = new EnumMap<>(PanelRole.class);
        for (String key : w.keys()) {
            PanelRole role = roleKey(r, w, key, true);
            SpecReader.Obj wo = w.obj(key, "min", "max");
            double min = wo.number("min", -1e12, false, 1e12, false);
            double max = wo.number("max", -1e12, false, 1e12, false);
            if (!(max > min)) {
                throw r.fail(wo.child("max"), "must be greater than min (" + SpecReader.fmt(min) + ")", wo.node().get("max"));
            }
            windows.put(role, new Window(min, max));
        }
        // optional: absent or null states the windows in data units on every channel (spec files before 1.4.0)
        Double fullScale = t.has("windowsFullScale") && !t.node().get("windowsFullScale").isNull()
                ? t.number("windowsFullScale", 1, false, 1e12, false) : null;
        return new Gating(sample, acq, singlets, new Thresholds(fmo, minPeak, windows, fullScale,
                shoulder));
    }

    private static Limits readLimits(SpecReader r, SpecReader.Obj l) {
        SpecReader.Obj e = l.obj("events", "minSingletLeukocytes", "minViable");
        long minSinglets = e.integer("minSingletLeukocytes", 1, 1_000_000_000L);
        long minViable = e.integer("minViable", 1, 1_000_000_000L);
        if (minViable > minSinglets) {
            throw r.fail(e.child("minViable"), "must not exceed minSingletLeukocytes (" + minSinglets
                    + "): viable events are a subset of singlet leukocytes", e.node().get("minViable"));
        }
        SpecReader.Obj p = l.obj("populations", "minEventsForLimit", "lloqEvents");
        long minForLimit = p.integer("minEventsForLimit", 1, 1_000_000_000L);
        long lloq = p.integer("lloqEvents", 1, 1_000_000_000L);
        if (lloq > minForLimit) {
            throw r.fail(p.child("lloqEvents"), "must not exceed minEventsForLimit (" + minForLimit + ")",
                    p.node().get("lloqEvents"));
        }
        SpecReader.Obj a = l.obj("acquisitionQc", "reviewAbovePct", "notEvaluableAbovePct");
        double review = a.number("reviewAbovePct", 0, false, 100, false);
        double notEval = a.number("notEvaluableAbovePct", 0, false, 100, false);
        if (review > notEval) {
            throw r.fail(a.child("reviewAbovePct"), "must not exceed notEvaluableAbovePct (" + SpecReader.fmt(notEval) + ")",
                    a.node().get("reviewAbovePct"));
        }
        InstrumentQcLimits iqc = null;
        if (l.has("instrumentQc") && !l.node().get("instrumentQc").isNull()) {
            SpecReader.Obj q = l.obj("instrumentQc", "maxAgeHours", "whenNotRecorded");
            double maxAge = q.number("maxAgeHours", 0, true, 8760, false);
            String when = q.optString("whenNotRecorded", "note");
            if (!when.equals("note") && !when.equals("not-evaluable")) {
                throw r.fail(q.child("whenNotRecorded"), "must be \"note\" or \"not-evaluable\"",
                        q.node().get("whenNotRecorded"));
            }
            iqc = new InstrumentQcLimits(maxAge, when.equals("not-evaluable"));
        }
        SampleHoldLimits hold = null;
        if (l.has("sampleHold") && !l.node().get("sampleHold").isNull()) {
            SpecReader.Obj h = l.obj("sampleHold", "startKeyword", "maxMinutes", "whenNotRecorded");
            String key = h.string("startKeyword").strip();
            if (key.isEmpty() || key.length() > 256 || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw r.fail(h.child("startKeyword"), "must be an FCS keyword name (1-256 printable characters)",
                        h.node().get("startKeyword"));
            }
            double maxMinutes = h.number("maxMinutes", 0, true, 525_600, false);
            String when = h.optString("whenNotRecorded", "not-evaluable");
            if (!when.equals("note") && !when.equals("not-evaluable")) {
                throw r.fail(h.child("whenNotRecorded"), "must be \"note\" or \"not-evaluable\"",
                        h.node().get("whenNotRecorded"));
            }
            hold = new SampleHoldLimits(key, maxMinutes, when.equals("not-evaluable"));
        }
        SpecReader.Obj gb = l.obj("guardBand", "k");
        double k = gb.number("k", 0, false, 10, false);
        String[] keys = new String[Metric.values().length];
        for (Metric m : Metric.values()) keys[m.ordinal()] = m.key();
        SpecReader.Obj at = l.obj("attributes", keys);
        Map<Metric, AttributeSpec> attrs = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            SpecReader.Obj o = at.obj(m.key(), "limit", "methodCvPct", "basis");
            SpecReader.Obj lim = o.objOrNull("limit", "op", "value");
            Limit limit = null;
            if (lim != null) {
                String op = lim.string("op");
                Limit.Op parsed = Limit.Op.parse(op);
                if (parsed == null) throw r.fail(lim.child("op"), "must be \">=\" or \"<=\"", lim.node().get("op"));
                limit = new Limit(parsed, lim.number("value", 0, false, 100, false));
            }
            double cv = o.number("methodCvPct", 0, false, 100, true);
            attrs.put(m, new AttributeSpec(limit, cv, o.optString("basis", "")));
        }
        return new Limits(new Events(minSinglets, minViable), new PopulationLimits(minForLimit, lloq),
                new AcquisitionLimits(review, notEval), k, attrs, iqc, hold);
    }

    // ---------------------------------------------------------------- canonical form

    private Map<String, Object> tree() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("id", id);
        root.put("version", version);
        root.put("description", description);
        Map<String, Object> roles = new LinkedHashMap<>();
        panel.roles().forEach((role, rs) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("required", rs.required());
            m.put("aliases", rs.aliases());
            if (role.isMarker()) m.put("weakAliases", rs.weakAliases());
            roles.put(role.name(), m);
        });
        root.put("panel", map("roles", roles));

        Map<String, Object> gat = new LinkedHashMap<>();
        gat.put("sample", map("events", (long) gating.sample().events(), "seed", gating.sample().seed()));
        AcquisitionQc a = gating.acquisitionQc();
        gat.put("acquisitionQc", map("eventsPerBin", (long) a.eventsPerBin(), "rateThreshold", a.rateThreshold(),
                "minRateChange", a.minRateChange(), "driftThreshold", a.driftThreshold(),
                "minDriftShift", a.minDriftShift(), "consecutiveBins", (long) a.consecutiveBins(),
                "removeMargins", a.removeMargins()));
        gat.put("singlets", map("predictionLevel", gating.singlets().predictionLevel(),
                "maxIterations", (long) gating.singlets().maxIterations()));
        Map<String, Object> windows = new LinkedHashMap<>();
        gating.thresholds().windows().forEach((role, w) -> windows.put(role.name(), map("min", w.min(), "max", w.max())));
        Map<String, Object> thr = map("fmoPercentile", gating.thresholds().fmoPercentile(),
                "minPeakFraction", gating.thresholds().minPeakFraction(), "windows", windows);
        // written only when set, so a spec file without it (before 1.4.0) keeps its hash
        if (gating.thresholds().windowsFullScale() != null) thr.put("windowsFullScale", gating.thresholds().windowsFullScale());
        thr.put("viabilityDimShoulder", gating.thresholds().dimShoulder().text());
        gat.put("thresholds", thr);
        root.put("gating", gat);

        Map<String, Object> lim = new LinkedHashMap<>();
        lim.put("events", map("minSingletLeukocytes", limits.events().minSingletLeukocytes(),
                "minViable", limits.events().minViable()));
        lim.put("populations", map("minEventsForLimit", limits.populations().minEventsForLimit(),
                "lloqEvents", limits.populations().lloqEvents()));
        lim.put("acquisitionQc", map("reviewAbovePct", limits.acquisitionQc().reviewAbovePct(),
                "notEvaluableAbovePct", limits.acquisitionQc().notEvaluableAbovePct()));
        // written only when set, so a spec file without it (before 1.5.0) keeps its hash
        InstrumentQcLimits iqc = limits.instrumentQc();
        if (iqc != null) {
            lim.put("instrumentQc", map("maxAgeHours", iqc.maxAgeHours(),
                    "whenNotRecorded", iqc.notRecordedNotEvaluable() ? "not-evaluable" : "note"));
        }
        SampleHoldLimits hold = limits.sampleHold();
        if (hold != null) {
            lim.put("sampleHold", map("startKeyword", hold.startKeyword(), "maxMinutes", hold.maxMinutes(),
                    "whenNotRecorded", hold.notRecordedNotEvaluable() ? "not-evaluable" : "note"));
        }
        lim.put("guardBand", map("k", limits.guardBandK()));
        Map<String, Object> attrs = new LinkedHashMap<>();
        limits.attributes().forEach((m, as) -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("limit", as.limit() == null ? null : map("op", as.limit().op().symbol(), "value", as.limit().value()));
            o.put("methodCvPct", as.methodCvPct());
            o.put("basis", as.basis());
            attrs.put(m.key(), o);
        });
        lim.put("attributes", attrs);
        root.put("limits", lim);
        return root;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static <K extends Enum<K>, V> Map<K, V> enumCopy(Class<K> type, Map<K, V> in) {
        EnumMap<K, V> m = new EnumMap<>(type);
        in.forEach((k, v) -> m.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
        return Collections.unmodifiableMap(m);
    }

    static String sha256Hex(byte[] bytes) {
        return Sha256.hex(bytes);
    }
}
