package org.cikqc.qc;

import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

/** JSON syntax errors in words for the person who wrote the file, not for a Jackson developer. */
public final class JsonErrors {
    private JsonErrors() { }

    private static final Pattern ENABLE = Pattern.compile("[:;]?\\s*\\(?\\s*enable `?[A-Za-z_.]+`? to (allow|accept)\\)?");
    private static final Pattern NOT_ENABLED = Pattern.compile(
            "\\s*\\(not recognized as one since Feature '[A-Z_]+' not enabled for parser\\)");
    private static final Pattern CODE = Pattern.compile("\\('(.{1,2})' \\(code \\d+\\)\\)");
    private static final Pattern NON_STANDARD = Pattern.compile("Non-standard token '([^']*)'");
    /** Jackson's read limits: "Number value length (1001) exceeds the maximum allowed (1000, from `…`)". */
    private static final Pattern LIMIT = Pattern.compile(
            "(Document nesting depth|Number value length|String value length|Name length) \\((\\d+)\\) exceeds the "
                    + "maximum allowed \\((\\d+)(, from `[^`]*`)?\\)");
    private static final Pattern TRAILING = Pattern.compile("Trailing token .*FAIL_ON_TRAILING_TOKENS`?");

    /**
     * Parses {@code json} into a tree with {@code mapper}'s settings through a parser of its own, so that an error
     * the parser's read limits raise without a location (nesting depth, a number's length) still says where.
     *
     * @return the tree, or null for an empty document
     * @throws JsonSyntax with the message of {@link #describe}
     */
    public static com.fasterxml.jackson.databind.JsonNode readTree(com.fasterxml.jackson.databind.ObjectMapper mapper,
            byte[] json) throws java.io.IOException {
        try (JsonParser p = mapper.createParser(json)) {
            try {
                return mapper.readTree(p);
            } catch (JsonProcessingException e) {
                throw new JsonSyntax(describe(e, e.getProcessor() instanceof JsonParser own ? own : p), e);
            }
        }
    }

    /** A JSON syntax error already described in words ({@link #readTree}). */
    public static final class JsonSyntax extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        JsonSyntax(String message, JsonProcessingException cause) {
            super(message, cause);
        }
    }

    /**
     * "'NaN' is not a JSON number (JSON has no NaN or Infinity) at gating.sample.seed (line 176, column 15)": the
     * parser's message without its advice on parser features, the field being read and where, taken from
     * {@code parser} when the exception has no location (its read limits).
     */
    private static String describe(JsonProcessingException e, JsonParser parser) {
        String m = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
        m = NOT_ENABLED.matcher(m).replaceAll(" (JSON has no comments)");
        java.util.regex.Matcher ns = NON_STANDARD.matcher(m);
        if (ns.find() && ns.group(1).matches("[+-]?(NaN|Infinity|INF)")) {
            m = "'" + ns.group(1) + "' is not a JSON number (JSON has no NaN or Infinity)";
        }
        m = LIMIT.matcher(m).replaceAll(JsonErrors::limit);
        m = TRAILING.matcher(m).replaceAll("more JSON after the end of the document (a file holds one JSON value)");
        m = ENABLE.matcher(m).replaceAll("");
        m = CODE.matcher(m).replaceAll("'$1'");
        m = m.replace("JSON spec does not allow", "JSON does not allow");
        boolean deep = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Document nesting depth");
        String field = deep ? "" : field(parser); // a path of 1000 "[0]"s says less than the line and column
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation() != null ? e.getLocation()
                : parser == null ? null : parser.currentLocation();
        String where = at == null || at.getLineNr() < 1 ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return org.cikqc.common.Problem.oneLine(m.strip()) + (field.isEmpty() ? "" : " at " + field) + where;
    }

    private static String limit(java.util.regex.MatchResult r) {
        String what = switch (r.group(1)) {
            case "Document nesting depth" -> "objects and arrays nested " + r.group(2) + " deep";
            case "Number value length" -> "a number of " + r.group(2) + " characters";
            case "String value length" -> "a string of " + r.group(2) + " characters";
            default -> "a field name of " + r.group(2) + " characters";
        };
        return what + ", more than the " + r.group(3) + " allowed";
    }

    /** The dotted path of the field being read ("gating.sample.seed", "checks[2]"), or "" at the top. */
    private static String field(JsonParser p) {
        if (p == null || p.getParsingContext() == null) return "";
        String pointer = p.getParsingContext().pathAsPointer().toString();
        if (pointer.isEmpty()) return "";
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.substring(1).split("/", -1)) {
            String name = part.replace("~1", "/").replace("~0", "~");
            if (name.matches("\\d+") && sb.length() > 0) sb.append('[').append(name).append(']');
            else sb.append(sb.length() > 0 ? "." : "").append(name);
        }
        return org.cikqc.common.Problem.bounded(sb.toString(), 200);
    }
}
