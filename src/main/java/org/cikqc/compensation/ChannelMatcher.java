package org.cikqc.compensation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cikqc.fcs.FcsParameter;

/**
 * Maps a detector name to a parameter: exact $PnN first, then case-insensitive, then — only when exactly one
 * parameter qualifies — the same name with or without an {@code -A}/{@code -H} suffix on one side (a matrix
 * naming {@code FITC} matches a lone {@code FITC-A}; {@code FITC-A} never matches {@code FITC-H}).
 */
final class ChannelMatcher {
    private ChannelMatcher() { }

    /** Result: the 0-based position in the parameter list, or -1 with a reason. */
    record Match(int position, String reason) {
        boolean found() { return position >= 0; }
    }

    static Match find(String detector, List<FcsParameter> params) {
        String name = detector.strip();
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).name().equals(detector) || params.get(i).name().strip().equals(name)) {
                return new Match(i, null);
            }
        }
        List<Integer> ci = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).name().strip().equalsIgnoreCase(name)) ci.add(i);
        }
        if (ci.size() == 1) return new Match(ci.get(0), null);
        if (ci.size() > 1) return new Match(-1, "matches several parameters case-insensitively: " + names(ci, params));
        String base = base(name);
        boolean hasSuffix = !base.equals(upper(name));
        List<Integer> sfx = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            String p = params.get(i).name().strip();
            String pBase = base(p);
            boolean pHasSuffix = !pBase.equals(upper(p));
            if (hasSuffix == pHasSuffix) continue; // both suffixed (and different) or both bare: no match
            if (pBase.equals(base)) sfx.add(i);
        }
        if (sfx.size() == 1) return new Match(sfx.get(0), null);
        if (sfx.size() > 1) return new Match(-1, "is ambiguous: matches " + names(sfx, params));
        return new Match(-1, "is not a parameter of this data set (no $PnN names it)");
    }

    private static String upper(String s) { return s.toUpperCase(Locale.ROOT); }

    /** Upper-case name without a trailing -A / -H. */
    static String base(String s) {
        String u = upper(s.strip());
        if (u.length() > 2 && (u.endsWith("-A") || u.endsWith("-H"))) return u.substring(0, u.length() - 2);
        return u;
    }

    private static String names(List<Integer> idx, List<FcsParameter> params) {
        List<String> out = new ArrayList<>();
        for (int i : idx) out.add(params.get(i).name());
        return String.join(", ", out);
    }

    static String allNames(List<FcsParameter> params) {
        List<String> out = new ArrayList<>();
        for (FcsParameter p : params) out.add(p.name());
        return "[" + String.join(", ", out) + "]";
    }
}
