package org.cikqc.qc;

import java.util.Locale;
import java.util.Optional;

/**
 * A role a channel plays in the CIK release panel. Scatter and time roles name instrument channels and are
 * matched against {@code $PnN}; marker roles name a stain and are matched against {@code $PnS} (or {@code $PnN}
 * when {@code $PnS} is blank). {@link #isCore() Core} roles are always required: the release attributes cannot be
 * computed without them.
 */
public enum PanelRole {
    /** Forward scatter, area (pulse integral). */
    FSC_A(Kind.SCATTER, true),
    /** Forward scatter, height (pulse peak): used for the singlet gate when present. */
    FSC_H(Kind.SCATTER, false),
    /**
     * Forward scatter, width (pulse width): without FSC-H, the singlet gate is fitted on the pseudo-height
     * k·FSC-A/FSC-W.
     */
    FSC_W(Kind.SCATTER, false),
    /** Side scatter, area. */
    SSC_A(Kind.SCATTER, true),
    /** Acquisition time: used for acquisition QC (flow-rate stability) when present. */
    TIME(Kind.TIME, false),
    /** Leukocyte marker: when present, viability and all percentages are of CD45+ singlets. */
    CD45(Kind.MARKER, false),
    /** T-cell identity marker. */
    CD3(Kind.MARKER, true),
    /** NK / NK-like T (CIK effector) marker. */
    CD56(Kind.MARKER, true),
    /** Viability dye (DNA dye or amine-reactive fixable dye): positive = dead. */
    VIABILITY(Kind.MARKER, true),
    /** Helper T subset (report only). */
    CD4(Kind.MARKER, false),
    /** Cytotoxic T subset (report only). */
    CD8(Kind.MARKER, false),
    /** True NK marker within CD3−CD56+ (report only). */
    CD16(Kind.MARKER, false),
    /** Monocyte/B-cell impurity channel (CD14 and/or CD19; report only). */
    CD14_19(Kind.MARKER, false);

    /** How a role is matched. */
    public enum Kind {
        /** A scatter channel: the whole {@code $PnN} must equal an alias. */
        SCATTER,
        /** The acquisition clock: {@code $PnN} equals an alias, or the parameter carries {@code $TIMESTEP}. */
        TIME,
        /** A stain: an alias occurs, token by token, in {@code $PnS} (or in {@code $PnN} when {@code $PnS} is blank). */
        MARKER
    }

    private final Kind kind;
    private final boolean core;

    PanelRole(Kind kind, boolean core) {
        this.kind = kind;
        this.core = core;
    }

    /** How this role is matched against channel names. */
    public Kind kind() { return kind; }

    /** True for roles that every spec must declare as required (FSC_A, SSC_A, CD3, CD56, VIABILITY). */
    public boolean isCore() { return core; }

    /** True for stain roles. */
    public boolean isMarker() { return kind == Kind.MARKER; }

    /**
     * Parses a role name as written by a user ({@code cd3}, {@code FSC-A}, {@code cd14_19}): case-insensitive,
     * with '-' accepted for '_'.
     */
    public static Optional<PanelRole> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (PanelRole r : values()) {
            if (r.name().equals(t)) return Optional.of(r);
        }
        return Optional.empty();
    }
}
