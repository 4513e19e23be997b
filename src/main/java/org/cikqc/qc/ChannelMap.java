package org.cikqc.qc;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The result of {@link PanelMapper#map}: which parameter (0-based position in the data set's parameter list) plays
 * each panel role, how it was found, and notes on what was considered and rejected (for provenance). Immutable.
 */
public final class ChannelMap {

    /** How a role was assigned. */
    public enum Source {
        /** By a {@code --channel ROLE=NAME} override. */
        OVERRIDE,
        /** An alias matched the channel's {@code $PnS}. */
        PNS,
        /** An alias matched the channel's {@code $PnN}. */
        PNN,
        /** The channel carries {@code $TIMESTEP} (time role). */
        TIMESTEP
    }

    /**
     * One role's channel.
     *
     * @param role   the role
     * @param index  0-based position of the parameter in the data set
     * @param name   the channel's {@code $PnN}
     * @param marker the channel's {@code $PnS}, or null
     * @param source how it was found
     * @param alias  the alias that matched (the override text for overrides, {@code $TIMESTEP} for the time flag)
     * @param why    a one-line human explanation
     */
    public record Assignment(PanelRole role, int index, String name, String marker, Source source, String alias,
                             String why) {
        /** "P3 FITC-A (CD3)": 1-based parameter number, $PnN and $PnS. */
        public String channel() { return PanelMapper.describe(index, name, marker); }
    }

    private final Map<PanelRole, Assignment> assignments;
    private final List<String> notes;

    ChannelMap(Map<PanelRole, Assignment> assignments, List<String> notes) {
        EnumMap<PanelRole, Assignment> m = new EnumMap<>(PanelRole.class);
        m.putAll(assignments);
        this.assignments = Collections.unmodifiableMap(m);
        this.notes = List.copyOf(notes);
    }

    /** The 0-based parameter index of a role, if mapped. */
    public OptionalInt index(PanelRole role) {
        Assignment a = assignments.get(role);
        return a == null ? OptionalInt.empty() : OptionalInt.of(a.index());
    }

    /**
     * The 0-based parameter index of a role that must be mapped (the spec's required roles always are).
     *
     * @throws IllegalStateException when the role is not mapped
     */
    public int require(PanelRole role) {
        Assignment a = assignments.get(role);
        if (a == null) throw new IllegalStateException("panel role " + role + " is not mapped");
        return a.index();
    }

    /** True when the role is mapped to a channel. */
    public boolean has(PanelRole role) { return assignments.containsKey(role); }

    /** The assignment of a role, if mapped. */
    public Optional<Assignment> assignment(PanelRole role) { return Optional.ofNullable(assignments.get(role)); }

    /** All assignments in {@link PanelRole} order. */
    public Map<PanelRole, Assignment> assignments() { return assignments; }

    /** The mapped roles. */
    public Set<PanelRole> roles() { return assignments.keySet(); }

    /** What else was considered: weaker matches, rejected combined channels, preferred area channels, disabled roles. */
    public List<String> notes() { return notes; }

    /**
     * An ordered, JSON-ready description for provenance:
     * {@code {"roles": {"CD3": {"parameter": 3, "name": "FITC-A", "marker": "CD3", "source": "PNS", "alias": "CD3",
     * "why": "..."}}, "notes": [...]}} ({@code parameter} is the 1-based $Pn number).
     */
    public Map<String, Object> describe() {
        Map<String, Object> roles = new LinkedHashMap<>();
        assignments.forEach((role, a) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("parameter", a.index() + 1);
            m.put("name", a.name());
            m.put("marker", a.marker());
            m.put("source", a.source().name());
            m.put("alias", a.alias());
            m.put("why", a.why());
            roles.put(role.name(), m);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("roles", roles);
        out.put("notes", notes);
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ChannelMap[");
        assignments.forEach((r, a) -> sb.append(r).append('=').append(a.channel()).append(", "));
        if (!assignments.isEmpty()) sb.setLength(sb.length() - 2);
        return sb.append(']').toString();
    }
}
