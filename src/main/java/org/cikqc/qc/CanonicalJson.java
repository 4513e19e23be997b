package org.cikqc.qc;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A small deterministic JSON writer for trees of maps, lists and scalars. The same tree always gives the same
 * bytes: UTF-8, two-space indent, {@code "key": value}, {@code \n} line endings and a final newline; arrays whose
 * elements are all scalars are written on one line when that line has at most {@value #INLINE_MAX} characters. Key order: {@link LinkedHashMap} and {@link SortedMap} keep
 * their order (as does the package's unmodifiable {@link Ordered} copy), any other map is written with its keys sorted (so a {@code HashMap} or {@code Map.of} never makes
 * the output depend on hashing).
 *
 * <p>Numbers: integral types as integers; {@link BigDecimal} in plain notation as given; {@code double} and
 * {@code float} rounded to {@link #significantDigits} significant digits (half-even, from the exact binary value,
 * so the result does not depend on the JDK's {@code Double.toString}), trailing zeros dropped; NaN and infinities
 * are written as {@code null}.
 */
final class CanonicalJson {

    /** Arrays of scalars whose one-line form is at most this long are written on one line. */
    static final int INLINE_MAX = 100;

    private final int significantDigits;

    /**
     * An unmodifiable map that keeps the iteration order of the map it was copied from; the writer keeps its order.
     * (A {@code Collections.unmodifiableMap} wrapper hides whether the order is meaningful, so it is sorted.)
     */
    static final class Ordered<V> extends AbstractMap<String, V> {
        private final Map<String, V> map;

        Ordered(Map<String, ? extends V> in) {
            this.map = Collections.unmodifiableMap(new LinkedHashMap<>(in));
        }

        @Override
        public Set<Map.Entry<String, V>> entrySet() { return map.entrySet(); }

        @Override
        public V get(Object key) { return map.get(key); }

        @Override
        public boolean containsKey(Object key) { return map.containsKey(key); }
    }

    /** A writer that rounds doubles to the given number of significant digits. */
    CanonicalJson(int significantDigits) {
        if (significantDigits < 1 || significantDigits > 17) throw new IllegalArgumentException("digits " + significantDigits);
        this.significantDigits = significantDigits;
    }

    /** The canonical bytes of a tree. */
    byte[] bytes(Object tree) {
        StringBuilder sb = new StringBuilder(4096);
        write(sb, tree, 0, "$");
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Rounds a double to {@code digits} significant digits, half-even, from its exact binary value. */
    static BigDecimal round(double d, int digits) {
        BigDecimal b = new BigDecimal(d).round(new MathContext(digits, RoundingMode.HALF_EVEN));
        b = b.stripTrailingZeros();
        if (b.scale() < 0) b = b.setScale(0, RoundingMode.UNNECESSARY);
        return b;
    }

    /** A decimal with a fixed number of decimals (half-even, from the exact binary value); null for non-finite. */
    static BigDecimal fixed(double d, int decimals) {
        if (!Double.isFinite(d)) return null;
        BigDecimal b = new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN);
        return b.signum() == 0 ? BigDecimal.ZERO.setScale(decimals) : b;
    }

    private void write(StringBuilder sb, Object v, int indent, String where) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof Enum<?> e) {
            string(sb, e.name());
        } else if (v instanceof Number n) {
            number(sb, n);
        } else if (v instanceof Map<?, ?> m) {
            map(sb, m, indent, where);
        } else if (v instanceof Collection<?> c) {
            list(sb, new ArrayList<Object>(c), indent, where);
        } else if (v.getClass().isArray()) {
            int len = Array.getLength(v);
            List<Object> items = new ArrayList<>(len);
            for (int i = 0; i < len; i++) items.add(Array.get(v, i));
            list(sb, items, indent, where);
        } else if (v instanceof CharSequence cs) {
            string(sb, cs.toString());
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON at " + where);
        }
    }

    private void number(StringBuilder sb, Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            sb.append(n.toString());
        } else if (n instanceof BigDecimal bd) {
            sb.append(bd.toPlainString());
        } else {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                sb.append("null");
            } else {
                sb.append(round(d, significantDigits).toPlainString());
            }
        }
    }

    private static boolean isScalar(Object o) {
        return !(o instanceof Map<?, ?>) && !(o instanceof Collection<?>) && (o == null || !o.getClass().isArray());
    }

    private void map(StringBuilder sb, Map<?, ?> m, int indent, String where) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        Map<?, ?> ordered = m;
        if (!(m instanceof LinkedHashMap<?, ?>) && !(m instanceof SortedMap<?, ?>) && !(m instanceof Ordered<?>)) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
            ordered = sorted;
        }
        sb.append("{\n");
        int i = 0;
        for (Map.Entry<?, ?> e : ordered.entrySet()) {
            if (e.getKey() == null) throw new IllegalArgumentException("null key in JSON object at " + where);
            String key = e.getKey() instanceof Enum<?> en ? en.name() : e.getKey().toString();
            pad(sb, indent + 1);
            string(sb, key);
            sb.append(": ");
            write(sb, e.getValue(), indent + 1, where + "." + key);
            if (++i < ordered.size()) sb.append(',');
            sb.append('\n');
        }
        pad(sb, indent);
        sb.append('}');
    }

    private void list(StringBuilder sb, List<Object> items, int indent, String where) {
        if (items.isEmpty()) {
            sb.append("[]");
            return;
        }
        boolean scalars = true;
        for (Object o : items) scalars &= isScalar(o);
        if (scalars) {
            StringBuilder line = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) line.append(", ");
                write(line, items.get(i), indent, where + "[" + i + "]");
            }
            line.append(']');
            if (line.length() <= INLINE_MAX) {
                sb.append(line);
                return;
            }
        }
        sb.append("[\n");
        for (int i = 0; i < items.size(); i++) {
            pad(sb, indent + 1);
            write(sb, items.get(i), indent + 1, where + "[" + i + "]");
            if (i + 1 < items.size()) sb.append(',');
            sb.append('\n');
        }
        pad(sb, indent);
        sb.append(']');
    }

    private static void pad(StringBuilder sb, int indent) {
        for (int i = 0; i < indent; i++) sb.append("  ");
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s)).append('"');
    }
}
