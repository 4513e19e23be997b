package org.cikqc.pipeline;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The differences between two JSON documents (a recorded and a recomputed {@code result.json}) as readable lines,
 * one per JSON path whose values differ: {@code metrics.cd3_pct.value: recorded 85.1234, recomputed 84.9000}.
 * Paths use dots for object keys and {@code [i]} for array elements; keys that are not plain identifiers are
 * quoted ({@code provenance.inputs["/data/a.fcs"]}). Numbers compare by their exact text (the result writer's fixed
 * decimals), so {@code 90.0000} and {@code 90.0} differ.
 */
public final class ResultDiff {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]*");
    private static final int MAX_VALUE_TEXT = 80;

    private ResultDiff() { }

    /**
     * One difference.
     *
     * @param path       the JSON path
     * @param recorded   the recorded value as compact JSON, or null when absent
     * @param recomputed the recomputed value as compact JSON, or null when absent
     */
    public record Difference(String path, String recorded, String recomputed) {
        /** One line for people. */
        public String describe() {
            if (recorded == null) return path + ": absent in the record, recomputed " + recomputed;
            if (recomputed == null) return path + ": recorded " + recorded + ", absent when recomputed";
            return path + ": recorded " + recorded + ", recomputed " + recomputed;
        }
    }

    /** Every difference, in document order (recorded keys first, then keys only the recomputed one has). */
    public static List<Difference> diff(JsonNode recorded, JsonNode recomputed) {
        List<Difference> out = new ArrayList<>();
        walk("", recorded, recomputed, out);
        return out;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<Difference> out) {
        if (a == null || a.isMissingNode()) {
            out.add(new Difference(display(path), null, text(b)));
            return;
        }
        if (b == null || b.isMissingNode()) {
            out.add(new Difference(display(path), text(a), null));
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            for (Iterator<String> it = a.fieldNames(); it.hasNext();) keys.add(it.next());
            for (Iterator<String> it = b.fieldNames(); it.hasNext();) keys.add(it.next());
            for (String k : keys) walk(child(path, k), a.get(k), b.get(k), out);
            return;
        }
        if (a.isArray() && b.isArray()) {
            int n = Math.max(a.size(), b.size());
            for (int i = 0; i < n; i++) walk(path + "[" + i + "]", a.get(i), b.get(i), out);
            return;
        }
        if (!sameScalar(a, b)) out.add(new Difference(display(path), text(a), text(b)));
    }

    private static boolean sameScalar(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.toString().equals(b.toString());
        return a.equals(b);
    }

    private static String child(String path, String key) {
        String k = PLAIN_KEY.matcher(key).matches() ? key : "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        if (k.startsWith("[")) return path + k;
        return path.isEmpty() ? k : path + "." + k;
    }

    private static String display(String path) {
        return path.isEmpty() ? "(document)" : path;
    }

    private static String text(JsonNode n) {
        if (n == null || n.isMissingNode()) return null;
        String t = n.toString();
        return t.length() > MAX_VALUE_TEXT ? t.substring(0, MAX_VALUE_TEXT - 1) + "…" : t;
    }
}
