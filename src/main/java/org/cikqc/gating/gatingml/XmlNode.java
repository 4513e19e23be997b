package org.cikqc.gating.gatingml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A minimal immutable-after-parse element tree with line numbers (what the reader needs of a DOM). */
final class XmlNode {
    final String ns;
    final String local;
    final int line;
    private final Map<String, String> attributes = new HashMap<>();
    final List<XmlNode> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    XmlNode(String ns, String local, int line) {
        this.ns = ns == null ? "" : ns;
        this.local = local;
        this.line = line;
    }

    void attribute(String attrNs, String attrLocal, String value) { attributes.put(key(attrNs, attrLocal), value); }

    void appendText(char[] ch, int start, int length) { text.append(ch, start, length); }

    private static String key(String ns, String local) { return (ns == null ? "" : ns) + '\u0000' + local; }

    /** Attribute value, or null. */
    String attr(String attrNs, String attrLocal) { return attributes.get(key(attrNs, attrLocal)); }

    /** The element's own text, trimmed. */
    String text() { return text.toString().strip(); }

    boolean is(String elementNs, String elementLocal) { return ns.equals(elementNs) && local.equals(elementLocal); }

    /** Children with this name, in order. */
    List<XmlNode> children(String elementNs, String elementLocal) {
        List<XmlNode> out = new ArrayList<>();
        for (XmlNode c : children) if (c.is(elementNs, elementLocal)) out.add(c);
        return out;
    }

    /** The first child with this name, or null. */
    XmlNode child(String elementNs, String elementLocal) {
        for (XmlNode c : children) if (c.is(elementNs, elementLocal)) return c;
        return null;
    }
}
