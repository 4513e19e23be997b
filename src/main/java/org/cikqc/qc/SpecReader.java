package org.cikqc.qc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.cikqc.common.CikqcException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Strict, path-aware reading of a JSON document into validated values. Every error is a
 * {@link CikqcException#spec(String)} of the form {@code "<source>: <json.path> <what is wrong> (got X)"}.
 * Objects declare their allowed keys; any other key is an error ("unknown field").
 */
final class SpecReader {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final String source;

    SpecReader(String source) {
        this.source = source;
    }

    /** Parses the bytes into a tree; syntax errors (including duplicate keys) become spec errors. */
    JsonNode parse(byte[] json) {
        try {
            JsonNode n = JsonErrors.readTree(MAPPER, json);
            if (n == null || n.isMissingNode()) throw fail("$", "document is empty", null);
            return n;
        } catch (JsonErrors.JsonSyntax e) {
            throw CikqcException.spec(source + ": not valid JSON: " + e.getMessage());
        } catch (IOException e) {
            throw CikqcException.spec(source + ": cannot read JSON: " + e.getMessage());
        }
    }

    /** An error naming the path and the offending value. */
    CikqcException fail(String path, String what, JsonNode got) {
        String g = got == null ? "" : " (got " + show(got) + ")";
        return CikqcException.spec(source + ": " + path + " " + what + g);
    }

    static String show(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        if (n.isObject()) return "an object";
        if (n.isArray()) return "an array of " + n.size();
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** The root object, allowing only the given keys. */
    Obj root(JsonNode n, String... allowed) {
        if (!n.isObject()) throw fail("$", "must be a JSON object", n);
        return new Obj(n, "", allowed);
    }

    /** A JSON object with a path and a set of allowed keys. */
    final class Obj {
        private final JsonNode node;
        private final String path;

        Obj(JsonNode node, String path, String... allowed) {
            this.node = node;
            this.path = path;
            if (allowed.length > 0) {
                Set<String> ok = new LinkedHashSet<>(List.of(allowed));
                Iterator<String> it = node.fieldNames();
                while (it.hasNext()) {
                    String k = it.next();
                    if (!ok.contains(k)) {
                        throw fail(child(k), "is not a known field (allowed here: " + String.join(", ", ok) + ")",
                                node.get(k));
                    }
                }
            }
        }

        String path() { return path; }

        String child(String key) { return path.isEmpty() ? key : path + "." + key; }

        JsonNode node() { return node; }

        boolean has(String key) { return node.has(key); }

        /** The field names in document order. */
        List<String> keys() {
            List<String> out = new ArrayList<>();
            node.fieldNames().forEachRemaining(out::add);
            return out;
        }

        JsonNode required(String key) {
            JsonNode v = node.get(key);
            if (v == null) throw fail(child(key), "is required but missing", null);
            return v;
        }

        Obj obj(String key, String... allowed) {
            JsonNode v = required(key);
            if (!v.isObject()) throw fail(child(key), "must be an object", v);
            return new Obj(v, child(key), allowed);
        }

        /** The object under {@code key}, or null when the value is JSON null. */
        Obj objOrNull(String key, String... allowed) {
            JsonNode v = required(key);
            if (v.isNull()) return null;
            if (!v.isObject()) throw fail(child(key), "must be an object or null", v);
            return new Obj(v, child(key), allowed);
        }

        String string(String key) {
            JsonNode v = required(key);
            if (!v.isTextual()) throw fail(child(key), "must be a string", v);
            return v.textValue();
        }

        String optString(String key, String dflt) {
            return node.has(key) ? string(key) : dflt;
        }

        boolean bool(String key) {
            JsonNode v = required(key);
            if (!v.isBoolean()) throw fail(child(key), "must be true or false", v);
            return v.booleanValue();
        }

        long integer(String key, long min, long max) {
            JsonNode v = required(key);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw fail(child(key), "must be an integer", v);
            }
            long x = v.longValue();
            if (x < min || x > max) {
                throw fail(child(key), "must be between " + min + " and " + max, v);
            }
            return x;
        }

        /**
         * A finite number in a range; {@code minOpen}/{@code maxOpen} make the bound exclusive.
         */
        double number(String key, double min, boolean minOpen, double max, boolean maxOpen) {
            JsonNode v = required(key);
            if (!v.isNumber()) throw fail(child(key), "must be a number", v);
            double x = v.doubleValue();
            boolean lowOk = minOpen ? x > min : x >= min;
            boolean highOk = maxOpen ? x < max : x <= max;
            if (!Double.isFinite(x) || !lowOk || !highOk) {
                String range = (minOpen ? "greater than " : "at least ") + fmt(min)
                        + " and " + (maxOpen ? "less than " : "at most ") + fmt(max);
                throw fail(child(key), "must be " + range, v);
            }
            return x;
        }

        /** A list of non-blank strings (unique); {@code nonEmpty} requires at least one. */
        List<String> strings(String key, boolean nonEmpty) {
            JsonNode v = required(key);
            if (!v.isArray()) throw fail(child(key), "must be an array of strings", v);
            if (nonEmpty && v.isEmpty()) throw fail(child(key), "must not be empty", v);
            List<String> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                String p = child(key) + "[" + i + "]";
                if (!e.isTextual()) throw fail(p, "must be a string", e);
                if (e.textValue().isBlank()) throw fail(p, "must not be blank", e);
                if (!seen.add(e.textValue().strip().toLowerCase(Locale.ROOT))) throw fail(p, "is listed twice", e);
                out.add(e.textValue().strip());
            }
            return out;
        }

        List<String> optStrings(String key) {
            return node.has(key) ? strings(key, false) : List.of();
        }

        Iterable<Map.Entry<String, JsonNode>> fields() { return node::fields; }
    }

    static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.format(Locale.ROOT, "%d", (long) d);
        return String.format(Locale.ROOT, "%s", d);
    }
}
