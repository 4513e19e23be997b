package org.cikqc.qc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Everything {@link QcEvaluator} needs from a gated sample: population counts by path, which optional markers the
 * panel has, the acquisition-QC removed fraction, fitted thresholds (checked against the spec's windows) and the
 * gating's own issues. Immutable; build with {@link #builder()}.
 *
 * <p>Counts are validated when built: {@code 0 ≤ count ≤ parentCount}, paths start with {@code /} and are unique,
 * and when a population's parent path is also given its count must equal the child's {@code parentCount}.
 */
public final class QcInput {

    /**
     * One population.
     *
     * @param path        e.g. {@code /cells/singlets/CD45+/viable/CD3+CD56+}
     * @param count       events in the population
     * @param parentCount events in its parent
     */
    public record PopulationCount(String path, long count, long parentCount) {
        public PopulationCount {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/") || path.endsWith("/") && path.length() > 1) {
                throw new IllegalArgumentException("population path must start with '/' and not end with '/': " + path);
            }
            if (count < 0 || parentCount < count) {
                throw new IllegalArgumentException("need 0 <= count <= parentCount for " + path + ": " + count + " / " + parentCount);
            }
        }

        /** The parent path ("/" for a top-level population). */
        public String parentPath() {
            int i = path.lastIndexOf('/');
            return i <= 0 ? "/" : path.substring(0, i);
        }
    }

    private final Map<String, PopulationCount> populations;
    private final Set<PanelRole> markers;
    private final Double acquisitionRemovedFraction;
    private final boolean flowRateChecked;
    private final List<String> integrityIssues;
    private final Map<PanelRole, Double> thresholds;
    private final Map<PanelRole, String> scaleNotes;
    private final Map<PanelRole, Double> scaleTops;
    private final List<GatingIssue> issues;
    private final InstrumentQc instrumentQc;
    private final SampleHold sampleHold;

    private QcInput(Builder b) {
        this.markers = Collections.unmodifiableSet(EnumSet.copyOf(b.markers));
        boolean cd45 = markers.contains(PanelRole.CD45);
        Map<String, PopulationCount> pops = new LinkedHashMap<>();
        for (Pending e : b.pending) {
            String path = e.standard() != null ? e.standard().path(cd45) : e.path();
            if (e.standard() == QcPopulation.LEUKOCYTES && !cd45) {
                throw new IllegalArgumentException("LEUKOCYTES (CD45+) given but CD45 is not among the markers");
            }
            PopulationCount pc = new PopulationCount(path, e.count(), e.parentCount());
            if (pops.putIfAbsent(path, pc) != null) throw new IllegalArgumentException("population given twice: " + path);
        }
        for (PopulationCount pc : pops.values()) {
            PopulationCount parent = pops.get(pc.parentPath());
            if (parent != null && parent.count() != pc.parentCount()) {
                throw new IllegalArgumentException("inconsistent counts: " + pc.path() + " has parentCount " + pc.parentCount()
                        + " but " + parent.path() + " has count " + parent.count());
            }
        }
        this.populations = Collections.unmodifiableMap(pops);
        this.acquisitionRemovedFraction = b.acquisitionRemovedFraction;
        this.flowRateChecked = b.flowRateChecked;
        this.integrityIssues = List.copyOf(b.integrityIssues);
        this.thresholds = Collections.unmodifiableMap(new EnumMap<>(b.thresholds));
        this.scaleNotes = Collections.unmodifiableMap(new EnumMap<>(b.scaleNotes));
        this.scaleTops = Collections.unmodifiableMap(new EnumMap<>(b.scaleTops));
        this.issues = List.copyOf(b.issues);
        this.instrumentQc = b.instrumentQc;
        this.sampleHold = b.sampleHold;
    }

    /** A new builder. */
    public static Builder builder() { return new Builder(); }

    /** All populations in the order given. */
    public List<PopulationCount> populations() { return List.copyOf(populations.values()); }

    /** The population at a path. */
    public Optional<PopulationCount> population(String path) { return Optional.ofNullable(populations.get(path)); }

    /** A standard population (its path depends on whether CD45 is present). */
    public Optional<PopulationCount> population(QcPopulation p) { return population(p.path(hasCd45())); }

    /** The optional marker roles the panel has (CD45, CD4, CD8, CD16, CD14_19). */
    public Set<PanelRole> markers() { return markers; }

    /** True when the panel has this marker. */
    public boolean hasMarker(PanelRole role) { return markers.contains(role); }

    /** True when CD45 is in the panel (percentages are then of CD45+ singlets). */
    public boolean hasCd45() { return markers.contains(PanelRole.CD45); }

    /** False when acquisition QC could only remove margin events (no TIME channel: flow rate not checked). */
    public boolean flowRateChecked() { return flowRateChecked; }

    /** Defects of the input data that make any verdict unsafe (a truncated file, an unusable spillover keyword). */
    public List<String> integrityIssues() { return integrityIssues; }

    /** The fraction (0–1) of events removed by acquisition QC; empty when acquisition QC was not performed. */
    public OptionalDouble acquisitionRemovedFraction() {
        return acquisitionRemovedFraction == null ? OptionalDouble.empty() : OptionalDouble.of(acquisitionRemovedFraction);
    }

    /** Fitted thresholds by role, in data units. */
    public Map<PanelRole, Double> thresholds() { return thresholds; }

    /**
     * Per marker role whose channel is not on the 18-bit linear scale (0–262,144) the default threshold windows
     * assume, a note saying what its scale is (e.g. "FITC-A is a 4-decade log channel, 1 to 10,000"); quoted when
     * a threshold falls outside its window.
     */
    public Map<PanelRole, String> scaleNotes() { return scaleNotes; }

    /**
     * Per marker role, the top of scale of its channel in data units ({@code $PnR}, {@code $PnR}/{@code $PnG}, or a
     * log channel's decoded top), when known: the spec's windows are rescaled to it when the spec states the full
     * scale they are set for ({@code gating.thresholds.windowsFullScale}).
     */
    public Map<PanelRole, Double> scaleTops() { return scaleTops; }

    /** Issues the gating reported. */
    public List<GatingIssue> gatingIssues() { return issues; }

    /** The cytometer's QC record carried by the file; empty when the file carries none. */
    public Optional<InstrumentQc> instrumentQc() { return Optional.ofNullable(instrumentQc); }

    /** The sample's hold as its keywords record it; empty when the file does not carry the spec's start keyword. */
    public Optional<SampleHold> sampleHold() { return Optional.ofNullable(sampleHold); }

    /** A population as given to the builder: an explicit path or a standard population resolved at build time. */
    private record Pending(String path, QcPopulation standard, long count, long parentCount) { }

    /** Builds a {@link QcInput}. Not thread-safe. */
    public static final class Builder {
        private final List<Pending> pending = new ArrayList<>();
        private final EnumSet<PanelRole> markers = EnumSet.noneOf(PanelRole.class);
        private Double acquisitionRemovedFraction;
        private boolean flowRateChecked = true;
        private final List<String> integrityIssues = new ArrayList<>();
        private final Map<PanelRole, Double> thresholds = new EnumMap<>(PanelRole.class);
        private final Map<PanelRole, String> scaleNotes = new EnumMap<>(PanelRole.class);
        private final Map<PanelRole, Double> scaleTops = new EnumMap<>(PanelRole.class);
        private final List<GatingIssue> issues = new ArrayList<>();
        private InstrumentQc instrumentQc;
        private SampleHold sampleHold;

        private Builder() { }

        /** A population by explicit path. */
        public Builder population(String path, long count, long parentCount) {
            pending.add(new Pending(Objects.requireNonNull(path, "path"), null, count, parentCount));
            return this;
        }

        /** A standard population; its path is resolved at {@link #build()} from whether CD45 is a marker. */
        public Builder population(QcPopulation population, long count, long parentCount) {
            pending.add(new Pending(null, Objects.requireNonNull(population, "population"), count, parentCount));
            return this;
        }

        /** Declares an optional marker present (CD45, CD4, CD8, CD16, CD14_19). */
        public Builder marker(PanelRole role) {
            if (!role.isMarker()) throw new IllegalArgumentException(role + " is not a marker role");
            markers.add(role);
            return this;
        }

        /** Declares every mapped marker role of a channel map present. */
        public Builder markers(ChannelMap map) {
            for (PanelRole r : map.roles()) if (r.isMarker()) markers.add(r);
            return this;
        }

        /** A defect of the input data that makes any verdict unsafe (see {@link QcInput#integrityIssues()}). */
        public Builder integrityIssue(String what) {
            integrityIssues.add(Objects.requireNonNull(what, "what"));
            return this;
        }

        /** Whether acquisition QC checked the flow rate over time (false without a TIME channel); default true. */
        public Builder flowRateChecked(boolean checked) {
            flowRateChecked = checked;
            return this;
        }

        /** The fraction (0–1) of events acquisition QC removed; leave unset when it was not performed. */
        public Builder acquisitionRemovedFraction(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("acquisition removed fraction must be in [0, 1]: " + fraction);
            }
            this.acquisitionRemovedFraction = fraction;
            return this;
        }

        /** A fitted threshold (data units); the evaluator checks it against the spec's window for the role. */
        public Builder threshold(PanelRole role, double value) {
            if (!role.isMarker()) throw new IllegalArgumentException(role + " is not a marker role");
            thresholds.put(role, value);
            return this;
        }

        /** A note on the scale of a marker role's channel (see {@link QcInput#scaleNotes()}). */
        public Builder scaleNote(PanelRole role, String note) {
            if (!role.isMarker()) throw new IllegalArgumentException(role + " is not a marker role");
            scaleNotes.put(role, Objects.requireNonNull(note, "note"));
            return this;
        }

        /** The top of scale of a marker role's channel (see {@link QcInput#scaleTops()}); positive and finite. */
        public Builder scaleTop(PanelRole role, double top) {
            if (!role.isMarker()) throw new IllegalArgumentException(role + " is not a marker role");
            if (!(top > 0) || !Double.isFinite(top)) throw new IllegalArgumentException("top of scale " + top + " for " + role);
            scaleTops.put(role, top);
            return this;
        }

        /** An issue reported by the gating. */
        public Builder gatingIssue(GatingIssue issue) {
            issues.add(Objects.requireNonNull(issue, "issue"));
            return this;
        }

        /** The cytometer's QC record carried by the file (see {@link InstrumentQc#fromKeywords}). */
        public Builder instrumentQc(InstrumentQc record) {
            this.instrumentQc = Objects.requireNonNull(record, "record");
            return this;
        }

        /** The sample's hold as the file's keywords record it (see {@link SampleHold#fromKeywords}). */
        public Builder sampleHold(SampleHold hold) {
            this.sampleHold = Objects.requireNonNull(hold, "hold");
            return this;
        }

        /** Builds and validates the input. */
        public QcInput build() { return new QcInput(this); }
    }
}
