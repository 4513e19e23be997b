package org.cikqc.qc;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A channel label ($PnN or $PnS) split into tokens for token-aware alias matching.
 *
 * <p>Rules: the text is NFKC-normalised and lower-cased; every character that is not a letter or digit separates
 * tokens ({@code "FITC-A :: CD3"} → {@code fitc a cd3}; {@code "CD3 PerCP-Cy5.5"} → {@code cd3 percp cy5 5}).
 * A bare number of 1–3 digits that follows a CD token across {@code /}, {@code &} or {@code +} and is not followed
 * by {@code -} is the usual shorthand for a second CD marker and is read as one ({@code "CD3&19"} →
 * {@code cd3 cd19}, {@code "CD16/56"} → {@code cd16 cd56}); {@code "CD45/7-AAD"} stays {@code cd45 7 aad}. A lone
 * {@code CD} followed by a number across one separator is one token ({@code "CD 3"}, {@code "CD-45"} → {@code cd3},
 * {@code cd45}). A "human" prefix on a CD token is dropped ({@code "hCD3"}, {@code "huCD56"} → {@code cd3},
 * {@code cd56}); other species prefixes are not (an anti-mouse CD3 is not the panel's CD3).
 */
final class Label {

    /** One token: normalised text and the text as written. */
    record Token(String text, String original) { }

    private static final Pattern CD_TOKEN = Pattern.compile("cd\\d+[a-z]*");
    /** Mass-cytometry cadmium isotope tags written "Cd106".."Cd116" are not CD markers. */
    private static final Pattern CADMIUM = Pattern.compile("Cd1[01]\\d(Di|Dd)?");
    private static final Pattern SHORT_NUMBER = Pattern.compile("\\d{1,3}");
    /** A CD marker with the "human" prefix some vendors write ("hCD3", "huCD56"): the marker itself. */
    private static final Pattern HUMAN_CD = Pattern.compile("hu?(cd\\d+[a-z]*)");

    private final String text;
    private final List<Token> tokens;

    private Label(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /** Tokenizes a label; null is read as the empty label. */
    static Label of(String text) {
        String raw = text == null ? "" : text;
        String norm = Normalizer.normalize(raw, Normalizer.Form.NFKC);
        List<Token> out = new ArrayList<>();
        List<String> sepsBefore = new ArrayList<>();
        StringBuilder sep = new StringBuilder();
        int i = 0;
        int n = norm.length();
        while (i < n) {
            int cp = norm.codePointAt(i);
            if (Character.isLetterOrDigit(cp)) {
                int start = i;
                while (i < n && Character.isLetterOrDigit(norm.codePointAt(i))) i += Character.charCount(norm.codePointAt(i));
                String orig = norm.substring(start, i);
                String low = orig.toLowerCase(Locale.ROOT);
                java.util.regex.Matcher human = HUMAN_CD.matcher(low);
                out.add(new Token(human.matches() ? human.group(1) : low, orig));
                sepsBefore.add(sep.toString());
                sep.setLength(0);
            } else {
                sep.appendCodePoint(cp);
                i += Character.charCount(cp);
            }
        }
        String trailing = sep.toString();
        // "CD 3", "CD-45": a lone "cd" joined to the number that follows
        for (int t = 0; t + 1 < out.size(); t++) {
            Token cd = out.get(t);
            Token num = out.get(t + 1);
            if (cd.text().equals("cd") && !num.text().isEmpty() && Character.isDigit(num.text().charAt(0))
                    && sepsBefore.get(t + 1).strip().length() <= 1) {
                out.set(t, new Token("cd" + num.text(), cd.original() + num.original()));
                out.remove(t + 1);
                sepsBefore.remove(t + 1);
            }
        }
        // shorthand expansion: CD16/56, CD3&19, CD4+8
        for (int t = 1; t < out.size(); t++) {
            Token tok = out.get(t);
            if (!SHORT_NUMBER.matcher(tok.text()).matches()) continue;
            String before = sepsBefore.get(t);
            if (!(before.contains("/") || before.contains("&") || before.contains("+"))) continue;
            if (!isCdToken(out.get(t - 1))) continue;
            String after = t + 1 < out.size() ? sepsBefore.get(t + 1) : trailing;
            if (after.startsWith("-")) continue;
            out.set(t, new Token("cd" + tok.text(), tok.original()));
        }
        return new Label(raw, Collections.unmodifiableList(out));
    }

    /** True when the token names a CD marker (cd3, CD45RA, cd8a), excluding cadmium isotope tags. */
    static boolean isCdToken(Token t) {
        return CD_TOKEN.matcher(t.text()).matches() && !CADMIUM.matcher(t.original()).matches();
    }

    String text() { return text; }

    /** This label without its token at {@code index} (the text stays as written). */
    Label without(int index) {
        List<Token> rest = new ArrayList<>(tokens);
        rest.remove(index);
        return new Label(text, Collections.unmodifiableList(rest));
    }

    List<Token> tokens() { return tokens; }

    boolean isBlank() { return tokens.isEmpty(); }

    /** The alias's position of match: exact, contained, or none. */
    enum Match { NONE, CONTAINS, EXACT }

    /**
     * An alias compiled to tokens. A trailing {@code *} makes the last token a prefix ({@code Viab*} matches
     * {@code Viability}, {@code FVS*} matches {@code FVS780}).
     */
    record Alias(String text, List<String> tokens, boolean prefixLast) {

        /** Compiles an alias; returns null when it has no tokens or a misplaced '*'. */
        static Alias compile(String alias) {
            if (alias == null) return null;
            String a = alias.strip();
            boolean prefix = a.endsWith("*");
            if (prefix) a = a.substring(0, a.length() - 1);
            if (a.indexOf('*') >= 0) return null;
            if (prefix && !a.isEmpty() && !Character.isLetterOrDigit(a.codePointBefore(a.length()))) return null;
            Label l = Label.of(a);
            if (l.isBlank()) return null;
            List<String> toks = new ArrayList<>();
            for (Token t : l.tokens()) toks.add(t.text());
            return new Alias(alias.strip(), List.copyOf(toks), prefix);
        }

        /** Where this alias occurs in the label. */
        Match match(Label label) {
            List<Token> lt = label.tokens();
            int m = tokens.size();
            for (int s = 0; s + m <= lt.size(); s++) {
                if (matchesAt(lt, s)) return (s == 0 && m == lt.size()) ? Match.EXACT : Match.CONTAINS;
            }
            return Match.NONE;
        }

        /** True when the label consists of this alias and nothing else. */
        boolean matchesWhole(Label label) {
            return label.tokens().size() == tokens.size() && matchesAt(label.tokens(), 0);
        }

        private boolean matchesAt(List<Token> lt, int s) {
            int m = tokens.size();
            for (int j = 0; j < m; j++) {
                String have = lt.get(s + j).text();
                String want = tokens.get(j);
                boolean ok = (prefixLast && j == m - 1) ? have.startsWith(want) : have.equals(want);
                if (!ok) return false;
            }
            return true;
        }

        /**
         * True when one of this alias's tokens is the given token text (the last token of a prefix alias: a prefix
         * of it). Used to tell whether a CD token in a label belongs to the role being matched.
         */
        boolean coversToken(String tokenText) {
            for (int j = 0; j < tokens.size(); j++) {
                String want = tokens.get(j);
                boolean ok = (prefixLast && j == tokens.size() - 1) ? tokenText.startsWith(want) : tokenText.equals(want);
                if (ok) return true;
            }
            return false;
        }
    }
}
