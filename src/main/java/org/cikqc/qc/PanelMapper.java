package org.cikqc.qc;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.cikqc.common.CikqcException;
import org.cikqc.fcs.FcsParameter;

/**
 * Maps the spec's panel roles to the channels of a data set. Never guesses: a missing required role, an ambiguous
 * match or a bad override is a {@link CikqcException.Kind#INVALID_SPEC} error (exit 4) that lists the candidates and
 * the channels.
 *
 * <h2>Rules</h2>
 * <ol>
 * <li><b>Overrides first.</b> {@code ROLE=NAME} assigns the channel whose {@code $PnN} equals NAME (exactly, else
 *     case-insensitively; more than one case-insensitive hit is an error). {@code ROLE=none} leaves an optional role
 *     unmapped. Unknown roles or names are errors listing what exists.</li>
 * <li><b>Scatter roles</b> (FSC_A, FSC_H, FSC_W, SSC_A) match {@code $PnN} only, and the whole name must equal an alias
 *     token for token ({@code FSC-A}, {@code FSC.A}, {@code fsc a} are the same; {@code FSC-H} is not {@code FSC}).
 *     {@code $PnS} is a stain label and is never read for scatter.</li>
 * <li><b>Time</b> matches {@code $PnN} like scatter, or a parameter carrying {@code $TIMESTEP}.</li>
 * <li><b>Marker roles</b> match the channel's {@code $PnS} when it is not blank, else its {@code $PnN}. An alias
 *     matches when its tokens occur consecutively among the label's tokens (token-aware: {@code CD3} matches
 *     {@code "CD3 FITC"}, {@code "FITC-A :: CD3"}, {@code "CD3-FITC"} but never {@code CD38}; {@code CD4} never
 *     {@code CD45}). A label that is exactly the alias is a better match than one that contains it.</li>
 * <li><b>Combined channels are never used.</b> A label naming two marker roles ({@code "VIVID / CD14"}) or containing
 *     a CD token that is not an alias of the role ({@code "CD3&19"}, {@code "CD16/56"}) is rejected for every role
 *     (recorded in the notes). Weak aliases (dyes that are also antibody conjugates, {@code eFluor 780}) count only in
 *     a label that names no other marker role, so {@code "APC-eFluor 780 - CD3"} is CD3.</li>
 * <li><b>Area preferred.</b> When the best matches of a role are one area channel and height/width channels of the
 *     same quality ({@code FITC-A} and {@code FITC-H} both labelled CD3), the area channel is chosen; this is a rule,
 *     not a guess, and is recorded in the notes. The kind is read from the {@code $PnN} tokens
 *     ({@code A/Area/INT/LogA/LinA}; {@code H/Height/PEAK/LogH/LinH}; {@code W/Width/TOF}).</li>
 * <li><b>Height-only scatter.</b> When no channel matches FSC_A (or SSC_A), a height channel whose name without its
 *     height token is an alias of the role stands for it ({@code FSC-H} for {@code FSC}, as a FACSCalibur records
 *     scatter); FSC_H is then left unmapped (the same channel), so there is no singlet gate. Recorded in the
 *     notes.</li>
 * <li>Otherwise two or more equally good candidates are ambiguous; a channel chosen for two roles is an error.</li>
 * </ol>
 */
public final class PanelMapper {

    private PanelMapper() { }

    private enum Quality { CONTAINS, EXACT }

    private enum SignalKind { AREA, HEIGHT, WIDTH, UNKNOWN }

    private record Candidate(int index, Quality quality, ChannelMap.Source source, String alias) { }

    private static final Set<String> AREA = Set.of("a", "area", "int", "loga", "lina", "alin", "alog");
    private static final Set<String> HEIGHT = Set.of("h", "height", "peak", "logh", "linh", "hlin", "hlog");
    private static final Set<String> WIDTH = Set.of("w", "width", "tof");

    /**
     * Maps roles to channels.
     *
     * @param panel     the spec's panel
     * @param params    the data set's parameters in file order (index 0 = $P1)
     * @param overrides {@code ROLE → $PnN} from {@code --channel ROLE=NAME} (may be null or empty; NAME {@code none}
     *                  unmaps an optional role)
     * @return the mapping; every required role is present
     * @throws CikqcException (INVALID_SPEC) for a missing required role, an ambiguity or a bad override
     */
    public static ChannelMap map(QcSpec.Panel panel, List<FcsParameter> params, Map<String, String> overrides) {
        return map(panel, params, overrides, null);
    }

    /**
     * {@link #map(QcSpec.Panel, List, Map)}, naming in its error where the panel comes from ({@code source}, e.g.
     * "spec FILE (ID VERSION)"; null: not named).
     */
    public static ChannelMap map(QcSpec.Panel panel, List<FcsParameter> params, Map<String, String> overrides,
                                 String source) {
        List<String> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<PanelRole, ChannelMap.Assignment> out = new EnumMap<>(PanelRole.class);
        Map<Integer, PanelRole> taken = new TreeMap<>();
        Set<PanelRole> fixed = EnumSet.noneOf(PanelRole.class);

        applyOverrides(panel, params, overrides == null ? Map.of() : overrides, errors, notes, out, taken, fixed);

        int n = params.size();
        Label[] pnn = new Label[n];
        Label[] markerLabel = new Label[n];
        ChannelMap.Source[] markerSource = new ChannelMap.Source[n];
        for (int i = 0; i < n; i++) {
            FcsParameter p = params.get(i);
            pnn[i] = Label.of(p.name());
            Label pns = Label.of(p.marker());
            boolean usePns = !pns.isBlank();
            markerLabel[i] = usePns ? pns : pnn[i];
            markerSource[i] = usePns ? ChannelMap.Source.PNS : ChannelMap.Source.PNN;
        }

        Map<PanelRole, List<Label.Alias>> strong = new EnumMap<>(PanelRole.class);
        Map<PanelRole, List<Label.Alias>> weak = new EnumMap<>(PanelRole.class);
        panel.roles().forEach((role, rs) -> {
            strong.put(role, compile(rs.aliases()));
            weak.put(role, compile(rs.weakAliases()));
        });

        // which marker roles each channel's label names through a strong alias
        List<Set<PanelRole>> named = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Set<PanelRole> s = EnumSet.noneOf(PanelRole.class);
            for (Map.Entry<PanelRole, List<Label.Alias>> e : strong.entrySet()) {
                if (e.getKey().isMarker() && best(e.getValue(), markerLabel[i]).quality != null) s.add(e.getKey());
            }
            named.add(s);
        }

        List<String> rejectedNotes = new ArrayList<>();
        for (Map.Entry<PanelRole, QcSpec.RoleSpec> e : panel.roles().entrySet()) {
            PanelRole role = e.getKey();
            if (fixed.contains(role)) continue;
            List<Candidate> cands = new ArrayList<>();
            List<String> rejected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (taken.containsKey(i)) continue;
                FcsParameter p = params.get(i);
                switch (role.kind()) {
                    case SCATTER, TIME -> {
                        String hit = null;
                        for (Label.Alias a : strong.get(role)) {
                            if (a.matchesWhole(pnn[i])) {
                                hit = a.text();
                                break;
                            }
                        }
                        if (hit != null) {
                            cands.add(new Candidate(i, Quality.EXACT, ChannelMap.Source.PNN, hit));
                        } else if (role.kind() == PanelRole.Kind.TIME && p.timestep() > 0) {
                            cands.add(new Candidate(i, Quality.EXACT, ChannelMap.Source.TIMESTEP, "$TIMESTEP"));
                        }
                    }
                    case MARKER -> {
                        Label label = markerLabel[i];
                        Best b = best(strong.get(role), label);
                        Set<PanelRole> others = EnumSet.noneOf(PanelRole.class);
                        others.addAll(named.get(i));
                        others.remove(role);
                        if (b.quality == null && others.isEmpty()) b = best(weak.get(role), label);
                        if (b.quality == null) continue;
                        String where = describe(i, p.name(), p.marker());
                        if (!others.isEmpty()) {
                            rejected.add(where + " not used for " + role + ": its label also names " + others
                                    + " (combined channel)");
                            continue;
                        }
                        String foreign = foreignCdToken(label, strong.get(role));
                        if (foreign != null) {
                            rejected.add(where + " not used for " + role + ": its label also names " + foreign
                                    + " (combined channel)");
                            continue;
                        }
                        cands.add(new Candidate(i, b.quality, markerSource[i], b.alias.text()));
                    }
                    default -> throw new IllegalStateException("unhandled role kind " + role.kind());
                }
            }
            boolean height = false;
            if (cands.isEmpty() && (role == PanelRole.FSC_A || role == PanelRole.SSC_A)) {
                cands.addAll(heightScatter(strong.get(role), pnn, taken.keySet()));
                height = !cands.isEmpty();
            }
            rejectedNotes.addAll(rejected);
            choose(role, e.getValue().required(), cands, rejected, params, errors, notes, out);
            ChannelMap.Assignment a = out.get(role);
            if (height && a != null) {
                out.put(role, new ChannelMap.Assignment(role, a.index(), a.name(), a.marker(), a.source(), a.alias(),
                        "height-only scatter: no channel is an area alias, and this height channel's name without its"
                        + " height token equals alias '" + a.alias() + "' in $PnN"));
                notes.add(role + ": no area channel; the height channel " + a.channel() + " stands for it (height-only"
                        + " scatter, as FACSCalibur and other instruments without pulse area record it)");
            }
        }
        notes.addAll(rejectedNotes);

        // height-only scatter: FSC-H is FSC_A's channel, so there is no separate height for a singlet gate
        ChannelMap.Assignment fscA = out.get(PanelRole.FSC_A);
        ChannelMap.Assignment fscH = out.get(PanelRole.FSC_H);
        if (fscA != null && fscH != null && fscA.index() == fscH.index()) { // only the rule above shares a channel
            out.remove(PanelRole.FSC_H);
            notes.add(PanelRole.FSC_H + ": " + fscH.channel() + " is FSC_A's channel (height-only scatter); left"
                    + " unmapped, so there is no singlet gate");
        }

        // one channel, one role
        Map<Integer, List<PanelRole>> byChannel = new TreeMap<>();
        out.forEach((role, a) -> byChannel.computeIfAbsent(a.index(), k -> new ArrayList<>()).add(role));
        byChannel.forEach((idx, roles) -> {
            if (roles.size() > 1) {
                FcsParameter p = params.get(idx);
                errors.add("channel " + describe(idx, p.name(), p.marker()) + " matches several roles " + roles
                        + "; assign them with --channel ROLE=NAME");
            }
        });

        // gates name their channels by $PnN: a role's channel whose name another parameter has too would be gated
        // on whichever the name resolves to (the first), which is a defect of the file, not of the spec
        List<String> shared = new ArrayList<>();
        int firstShared = -1;
        for (ChannelMap.Assignment a : out.values()) {
            List<String> same = new ArrayList<>();
            for (int i : namedLike(params, a.name())) {
                if (i != a.index()) same.add(describe(i, params.get(i).name(), params.get(i).marker()));
            }
            if (same.isEmpty()) continue;
            if (firstShared < 0) firstShared = a.index();
            shared.add(a.role() + "'s channel " + a.channel() + " has the $PnN of " + String.join(", ", same));
        }
        if (!shared.isEmpty()) {
            throw CikqcException.input(String.join("; ", shared)
                    + ": gates and the spillover matrix name channels by $PnN, so the panel cannot be gated"
                    + " unambiguously (keyword $P" + (firstShared + 1) + "N)");
        }

        if (!errors.isEmpty()) {
            throw CikqcException.spec("panel" + (source == null ? "" : " of " + source) + ": " + String.join("; ", errors)
                    + "; channels: " + listChannels(params));
        }
        return new ChannelMap(out, notes);
    }

    /** The parameters whose $PnN is {@code name} without surrounding spaces, in any case. */
    private static List<Integer> namedLike(List<FcsParameter> params, String name) {
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).name().strip().equalsIgnoreCase(name.strip())) hits.add(i);
        }
        return hits;
    }

    private static void applyOverrides(QcSpec.Panel panel, List<FcsParameter> params, Map<String, String> overrides,
                                       List<String> errors, List<String> notes,
                                       Map<PanelRole, ChannelMap.Assignment> out, Map<Integer, PanelRole> taken,
                                       Set<PanelRole> fixed) {
        // deterministic order: by role, unknown roles last in text order
        Map<String, String> ordered = new TreeMap<>(overrides);
        Map<PanelRole, String> byRole = new EnumMap<>(PanelRole.class);
        for (Map.Entry<String, String> e : ordered.entrySet()) {
            PanelRole role = PanelRole.parse(e.getKey()).orElse(null);
            if (role == null) {
                errors.add("--channel " + e.getKey() + "=" + e.getValue() + ": unknown role '" + e.getKey()
                        + "' (roles: " + roleList(panel) + ")");
                continue;
            }
            if (panel.role(role).isEmpty()) {
                errors.add("--channel " + e.getKey() + "=" + e.getValue() + ": role " + role
                        + " is not part of the spec's panel (roles: " + roleList(panel) + ")");
                continue;
            }
            if (byRole.put(role, e.getValue()) != null) {
                errors.add("--channel: role " + role + " is given more than once");
            }
        }
        for (Map.Entry<PanelRole, String> e : byRole.entrySet()) {
            PanelRole role = e.getKey();
            String name = e.getValue() == null ? "" : e.getValue().strip();
            String arg = "--channel " + role + "=" + name;
            if (name.equalsIgnoreCase("none")) {
                if (panel.isRequired(role)) {
                    errors.add(arg + ": " + role + " is required by the spec and cannot be unmapped");
                } else {
                    fixed.add(role);
                    notes.add(role + " left unmapped by " + arg);
                }
                continue;
            }
            List<Integer> hits = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                if (params.get(i).name().equals(name)) hits.add(i);
            }
            if (hits.isEmpty()) hits = namedLike(params, name);
            if (hits.isEmpty()) {
                errors.add(arg + ": no channel has $PnN '" + name + "'");
                continue;
            }
            if (hits.size() > 1) {
                List<String> d = new ArrayList<>();
                for (int i : hits) d.add(describe(i, params.get(i).name(), params.get(i).marker()));
                errors.add(arg + ": several channels are named '" + name + "': " + String.join(", ", d));
                continue;
            }
            int idx = hits.get(0);
            PanelRole prev = taken.putIfAbsent(idx, role);
            FcsParameter p = params.get(idx);
            if (prev != null) {
                errors.add(arg + ": channel " + describe(idx, p.name(), p.marker()) + " is already assigned to " + prev);
                continue;
            }
            fixed.add(role);
            out.put(role, new ChannelMap.Assignment(role, idx, p.name(), p.marker(), ChannelMap.Source.OVERRIDE, name,
                    "set by " + arg));
        }
    }

    private static void choose(PanelRole role, boolean required, List<Candidate> cands, List<String> rejected,
                               List<FcsParameter> params, List<String> errors, List<String> notes,
                               Map<PanelRole, ChannelMap.Assignment> out) {
        if (cands.isEmpty()) {
            if (required) {
                String why = rejected.isEmpty() ? "" : " (" + String.join("; ", rejected) + ")";
                errors.add("required role " + role + " matches no channel" + why + "; set it with --channel " + role
                        + "=NAME");
            } else {
                notes.add(role + ": no channel matches its aliases (optional role left unmapped)");
            }
            return;
        }
        Quality top = Quality.CONTAINS;
        for (Candidate c : cands) if (c.quality == Quality.EXACT) top = Quality.EXACT;
        List<Candidate> best = new ArrayList<>();
        List<Candidate> weaker = new ArrayList<>();
        for (Candidate c : cands) (c.quality == top ? best : weaker).add(c);

        Candidate chosen = null;
        String extra = "";
        if (best.size() == 1) {
            chosen = best.get(0);
        } else {
            List<Candidate> areas = new ArrayList<>();
            boolean othersAreHeightOrWidth = true;
            for (Candidate c : best) {
                SignalKind k = signalKind(params.get(c.index).name());
                if (k == SignalKind.AREA) areas.add(c);
                else if (k == SignalKind.UNKNOWN) othersAreHeightOrWidth = false;
            }
            if (areas.size() == 1 && othersAreHeightOrWidth) {
                chosen = areas.get(0);
                List<String> dropped = new ArrayList<>();
                for (Candidate c : best) {
                    if (c != chosen) dropped.add(describe(c.index, params.get(c.index).name(), params.get(c.index).marker()));
                }
                extra = "; area channel preferred over " + String.join(", ", dropped);
                notes.add(role + ": area channel " + name(params, chosen) + " preferred over height/width "
                        + String.join(", ", dropped));
            } else {
                List<String> d = new ArrayList<>();
                for (Candidate c : best) d.add(name(params, c) + " [" + sourceText(c) + " '" + c.alias + "']");
                if (role == PanelRole.CD14_19 && !required) {
                    // the CD14/CD19 dump channel is recorded for information only (no gate or metric uses it):
                    // an ambiguity leaves it unmapped rather than stopping the analysis
                    notes.add(role + ": ambiguous (" + String.join(", ", d) + "); left unmapped, set it with --channel "
                            + role + "=NAME");
                    return;
                }
                if (best.stream().allMatch(c -> params.get(c.index).name().strip()
                                .equalsIgnoreCase(params.get(best.get(0).index).name().strip()))) {
                    // one $PnN for all of them: --channel (by $PnN) cannot choose, and gates could not tell them
                    // apart either; the file is at fault, not the spec
                    throw CikqcException.input("role " + role + " is ambiguous: " + String.join(", ", d) + " match"
                            + " equally well and share one $PnN, which names a channel for --channel, the gates and the"
                            + " spillover matrix, so the panel cannot be gated unambiguously (keyword $P"
                            + (best.get(1).index + 1) + "N)");
                }
                errors.add("role " + role + " is ambiguous: " + String.join(", ", d)
                        + " match equally well; choose one with --channel " + role + "=NAME");
                return;
            }
        }
        for (Candidate c : weaker) {
            notes.add(role + ": weaker match " + name(params, c) + " not used (" + name(params, chosen)
                    + " matches the alias exactly)");
        }
        FcsParameter p = params.get(chosen.index);
        String why = (chosen.quality == Quality.EXACT ? "equals alias '" : "contains alias '") + chosen.alias + "'"
                + " in " + sourceText(chosen) + extra;
        if (chosen.source == ChannelMap.Source.TIMESTEP) why = "carries $TIMESTEP";
        out.put(role, new ChannelMap.Assignment(role, chosen.index, p.name(), p.marker(), chosen.source, chosen.alias, why));
    }

    private static String sourceText(Candidate c) {
        return switch (c.source) {
            case PNS -> "$PnS";
            case PNN -> "$PnN";
            case TIMESTEP -> "$TIMESTEP";
            case OVERRIDE -> "--channel";
        };
    }

    private static String name(List<FcsParameter> params, Candidate c) {
        FcsParameter p = params.get(c.index);
        return describe(c.index, p.name(), p.marker());
    }

    private record Best(Quality quality, Label.Alias alias) { }

    private static Best best(List<Label.Alias> aliases, Label label) {
        Best b = new Best(null, null);
        for (Label.Alias a : aliases) {
            Label.Match m = a.match(label);
            if (m == Label.Match.EXACT) return new Best(Quality.EXACT, a);
            if (m == Label.Match.CONTAINS && b.quality == null) b = new Best(Quality.CONTAINS, a);
        }
        return b;
    }

    /** The first CD token in the label that no alias of the role covers, or null. */
    private static String foreignCdToken(Label label, List<Label.Alias> roleAliases) {
        for (Label.Token t : label.tokens()) {
            if (!Label.isCdToken(t)) continue;
            boolean covered = false;
            for (Label.Alias a : roleAliases) {
                if (a.coversToken(t.text())) {
                    covered = true;
                    break;
                }
            }
            if (!covered) return t.text().toUpperCase(Locale.ROOT);
        }
        return null;
    }

    /**
     * Candidates for an area scatter role that no channel matches: height channels whose name without its height
     * token is an alias of the role ({@code FSC-H}, {@code FSC-Height}, {@code FS PEAK}, {@code FSC LinH} for
     * {@code FSC}/{@code FS}; {@code SSC-H} for {@code SSC}).
     */
    private static List<Candidate> heightScatter(List<Label.Alias> aliases, Label[] pnn, Set<Integer> taken) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < pnn.length; i++) {
            if (taken.contains(i)) continue;
            List<Label.Token> toks = pnn[i].tokens();
            int h = kindToken(toks);
            if (h < 0 || !HEIGHT.contains(toks.get(h).text())) continue;
            Label rest = pnn[i].without(h);
            for (Label.Alias a : aliases) {
                if (a.matchesWhole(rest)) {
                    out.add(new Candidate(i, Quality.EXACT, ChannelMap.Source.PNN, a.text()));
                    break;
                }
            }
        }
        return out;
    }

    /** True when a channel name says it is a pulse height ({@code FSC-H}, {@code FS PEAK}, {@code FSC LinH}). */
    public static boolean isHeight(String pnn) {
        return signalKind(pnn) == SignalKind.HEIGHT;
    }

    private static SignalKind signalKind(String pnn) {
        List<Label.Token> toks = Label.of(pnn).tokens();
        int i = kindToken(toks);
        if (i < 0) return SignalKind.UNKNOWN;
        String t = toks.get(i).text();
        return AREA.contains(t) ? SignalKind.AREA : HEIGHT.contains(t) ? SignalKind.HEIGHT : SignalKind.WIDTH;
    }

    /** The position of the last token naming a signal kind (area, height, width), or -1. */
    private static int kindToken(List<Label.Token> toks) {
        for (int i = toks.size() - 1; i >= 0; i--) {
            String t = toks.get(i).text();
            if (AREA.contains(t) || HEIGHT.contains(t) || WIDTH.contains(t)) return i;
        }
        return -1;
    }

    private static List<Label.Alias> compile(List<String> aliases) {
        List<Label.Alias> out = new ArrayList<>();
        for (String a : aliases) {
            Label.Alias c = Label.Alias.compile(a);
            if (c == null) throw new IllegalArgumentException("alias '" + a + "' does not compile (spec not validated?)");
            out.add(c);
        }
        return out;
    }

    private static String roleList(QcSpec.Panel panel) {
        List<String> r = new ArrayList<>();
        for (PanelRole p : panel.roles().keySet()) r.add(p.name());
        return String.join(", ", r);
    }

    /** "P3 FITC-A (CD3)" for position 2. */
    static String describe(int index, String name, String marker) {
        String m = marker == null || marker.isBlank() || marker.strip().equals(name.strip()) ? "" : " (" + marker.strip() + ")";
        return "P" + (index + 1) + " " + name + m;
    }

    private static String listChannels(List<FcsParameter> params) {
        Map<Integer, String> d = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) d.put(i, describe(i, params.get(i).name(), params.get(i).marker()));
        return String.join(", ", d.values());
    }
}
