package org.cikqc.gating.gatingml;

import static org.cikqc.gating.gatingml.GatingMlSchema.DATATYPES_NS;
import static org.cikqc.gating.gatingml.GatingMlSchema.GATING_NS;
import static org.cikqc.gating.gatingml.GatingMlSchema.TRANSFORMS_NS;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.cikqc.common.CikqcException;
import org.cikqc.gating.BooleanGate;
import org.cikqc.gating.CompensationMatrix;
import org.cikqc.gating.Dimension;
import org.cikqc.gating.EllipsoidGate;
import org.cikqc.gating.FcsDimension;
import org.cikqc.gating.Gate;
import org.cikqc.gating.GatingStrategy;
import org.cikqc.gating.PolygonGate;
import org.cikqc.gating.QuadrantGate;
import org.cikqc.gating.RatioDimension;
import org.cikqc.gating.RatioTransformation;
import org.cikqc.gating.RectangleGate;
import org.cikqc.gating.ScaleTransformation;
import org.cikqc.gating.Transformation;
import org.cikqc.transform.AsinhTransform;
import org.cikqc.transform.BoundedTransform;
import org.cikqc.transform.FlowJoBiexTransform;
import org.cikqc.transform.HyperlogTransform;
import org.cikqc.transform.LinearTransform;
import org.cikqc.transform.LogTransform;
import org.cikqc.transform.LogicleTransform;
import org.cikqc.transform.Transform;

/**
 * Writes a {@link GatingStrategy} as a Gating-ML 2.0 document: transformations, then spectrum matrices, then the
 * gates in strategy order. Numbers are written so that they read back to the identical double, so export → import
 * reproduces the strategy (and its memberships) exactly; custom_info is written only when given (provenance). The output is validated
 * against the bundled Gating-ML 2.0 schemas before it is returned.
 *
 * <p>Not expressible in Gating-ML 2.0 (a {@link CikqcException} of kind INVALID_SPEC): FlowJo biex transforms and
 * bounds around a bounded transform whose ranges do not overlap.
 */
public final class GatingMlWriter {
    private static final String NL = "\n";

    private GatingMlWriter() { }

    /** The document as UTF-8 bytes. */
    public static byte[] toBytes(GatingStrategy strategy) {
        return toBytes(strategy, null);
    }

    /**
     * The document, with {@code customInfo} (e.g. provenance: tool version, input and spec hashes) written as the
     * document's {@code data-type:custom_info}; null writes none.
     */
    public static byte[] toBytes(GatingStrategy strategy, String customInfo) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "UTF-8");
            new Emitter(w).document(strategy, customInfo);
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write Gating-ML: " + e.getMessage(), e);
        }
        byte[] bytes = out.toByteArray();
        try {
            GatingMlReader.validate(bytes, "exported Gating-ML");
        } catch (CikqcException e) {
            throw new IllegalStateException("writer produced invalid Gating-ML (a bug): " + e.getMessage(), e);
        }
        return bytes;
    }

    /** The document as a string. */
    public static String toXml(GatingStrategy strategy) { return new String(toBytes(strategy), StandardCharsets.UTF_8); }

    /** Writes the document to a stream (not closed). */
    public static void write(GatingStrategy strategy, OutputStream out) throws IOException { out.write(toBytes(strategy)); }

    /** xs:double lexical form that parses back to exactly {@code v}. */
    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "INF";
        if (v == Double.NEGATIVE_INFINITY) return "-INF";
        boolean negativeZero = v == 0 && 1 / v < 0;
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && !negativeZero) return Long.toString((long) v);
        return Double.toString(v);
    }

    /** StAX output with two-space indentation. */
    private static final class Emitter {
        private final XMLStreamWriter w;
        private int depth;

        Emitter(XMLStreamWriter w) { this.w = w; }

        void document(GatingStrategy s, String customInfo) throws XMLStreamException {
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters(NL);
            w.setPrefix("gating", GATING_NS);
            w.setPrefix("transforms", TRANSFORMS_NS);
            w.setPrefix("data-type", DATATYPES_NS);
            w.writeStartElement(GATING_NS, "Gating-ML");
            w.writeNamespace("gating", GATING_NS);
            w.writeNamespace("transforms", TRANSFORMS_NS);
            w.writeNamespace("data-type", DATATYPES_NS);
            depth++;
            boolean empty = s.gates().isEmpty() && s.transformations().isEmpty() && s.matrices().isEmpty();
            if (customInfo != null || empty) {
                start(DATATYPES_NS, "custom_info");
                w.writeCharacters(customInfo != null ? customInfo : "empty gating strategy");
                w.writeEndElement();
            }
            for (Transformation t : s.transformations().values()) transformation(t);
            for (CompensationMatrix m : s.matrices().values()) matrix(m);
            for (Gate g : s.gates()) gate(g);
            depth--;
            indent();
            w.writeEndElement();
            w.writeCharacters(NL);
            w.writeEndDocument();
        }

        private void indent() throws XMLStreamException {
            w.writeCharacters(NL + "  ".repeat(depth));
        }

        private void start(String ns, String local) throws XMLStreamException {
            indent();
            w.writeStartElement(ns, local);
        }

        private void empty(String ns, String local) throws XMLStreamException {
            indent();
            w.writeEmptyElement(ns, local);
        }

        private void open(String ns, String local) throws XMLStreamException {
            start(ns, local);
            depth++;
        }

        private void close() throws XMLStreamException {
            depth--;
            indent();
            w.writeEndElement();
        }

        private void transformation(Transformation t) throws XMLStreamException {
            open(TRANSFORMS_NS, "transformation");
            w.writeAttribute(TRANSFORMS_NS, "id", t.id());
            if (t instanceof RatioTransformation r) {
                if (r.boundMin() != Double.NEGATIVE_INFINITY) w.writeAttribute(TRANSFORMS_NS, "boundMin", number(r.boundMin()));
                if (r.boundMax() != Double.POSITIVE_INFINITY) w.writeAttribute(TRANSFORMS_NS, "boundMax", number(r.boundMax()));
                open(TRANSFORMS_NS, "fratio");
                w.writeAttribute(TRANSFORMS_NS, "A", number(r.ratio().a()));
                w.writeAttribute(TRANSFORMS_NS, "B", number(r.ratio().b()));
                w.writeAttribute(TRANSFORMS_NS, "C", number(r.ratio().c()));
                fcsName(r.numerator());
                fcsName(r.denominator());
                close();
            } else {
                ScaleTransformation st = (ScaleTransformation) t;
                Transform f = st.transform();
                double lo = Double.NEGATIVE_INFINITY;
                double hi = Double.POSITIVE_INFINITY;
                while (f instanceof BoundedTransform b) {
                    double nlo = Math.max(lo, b.boundMin());
                    double nhi = Math.min(hi, b.boundMax());
                    if (nlo > nhi) {
                        throw CikqcException.spec("transformation '" + t.id() + "': nested bounds do not overlap; "
                                + "not expressible in Gating-ML 2.0");
                    }
                    lo = nlo;
                    hi = nhi;
                    f = b.inner();
                }
                if (lo != Double.NEGATIVE_INFINITY) w.writeAttribute(TRANSFORMS_NS, "boundMin", number(lo));
                if (hi != Double.POSITIVE_INFINITY) w.writeAttribute(TRANSFORMS_NS, "boundMax", number(hi));
                function(t.id(), f);
            }
            close();
        }

        private void function(String id, Transform f) throws XMLStreamException {
            if (f instanceof LinearTransform l) {
                empty(TRANSFORMS_NS, "flin");
                attrs("T", l.t(), "A", l.a());
            } else if (f instanceof LogTransform l) {
                empty(TRANSFORMS_NS, "flog");
                attrs("T", l.t(), "M", l.m());
            } else if (f instanceof AsinhTransform a) {
                empty(TRANSFORMS_NS, "fasinh");
                attrs("T", a.t(), "M", a.m(), "A", a.a());
            } else if (f instanceof LogicleTransform l) {
                empty(TRANSFORMS_NS, "logicle");
                attrs("T", l.t(), "W", l.w(), "M", l.m(), "A", l.a());
            } else if (f instanceof HyperlogTransform h) {
                empty(TRANSFORMS_NS, "hyperlog");
                attrs("T", h.t(), "W", h.w(), "M", h.m(), "A", h.a());
            } else if (f instanceof FlowJoBiexTransform) {
                throw CikqcException.spec("transformation '" + id + "': FlowJo biex has no Gating-ML 2.0 form");
            } else {
                throw CikqcException.spec("transformation '" + id + "': " + f.describe() + " has no Gating-ML 2.0 form");
            }
        }

        private void attrs(Object... nameValue) throws XMLStreamException {
            for (int i = 0; i < nameValue.length; i += 2) {
                w.writeAttribute(TRANSFORMS_NS, (String) nameValue[i], number((Double) nameValue[i + 1]));
            }
        }

        private void fcsName(String name) throws XMLStreamException {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                    // a channel name ($PnN) from a damaged file: XML 1.0 has no way to write it
                    throw CikqcException.input("channel name ($PnN) '" + org.cikqc.common.Problem.oneLine(name)
                            + "' contains the control character U+" + String.format("%04X", (int) c)
                            + ", which Gating-ML (XML 1.0) cannot hold");
                }
            }
            empty(DATATYPES_NS, "fcs-dimension");
            w.writeAttribute(DATATYPES_NS, "name", name);
        }

        private void matrix(CompensationMatrix m) throws XMLStreamException {
            open(TRANSFORMS_NS, "spectrumMatrix");
            w.writeAttribute(TRANSFORMS_NS, "id", m.id());
            if (m.invertedAlready()) w.writeAttribute(TRANSFORMS_NS, "matrix-inverted-already", "true");
            open(TRANSFORMS_NS, "fluorochromes");
            for (String f : m.fluorochromes()) fcsName(f);
            close();
            open(TRANSFORMS_NS, "detectors");
            for (String d : m.detectors()) fcsName(d);
            close();
            double[][] c = m.coefficients();
            for (double[] row : c) {
                open(TRANSFORMS_NS, "spectrum");
                for (double v : row) {
                    empty(TRANSFORMS_NS, "coefficient");
                    w.writeAttribute(TRANSFORMS_NS, "value", number(v));
                }
                close();
            }
            close();
        }

        private void gateStart(String element, Gate g) throws XMLStreamException {
            open(GATING_NS, element);
            w.writeAttribute(GATING_NS, "id", g.id());
            if (g.parentId() != null) w.writeAttribute(GATING_NS, "parent_id", g.parentId());
        }

        private void gate(Gate g) throws XMLStreamException {
            if (g instanceof RectangleGate r) {
                gateStart("RectangleGate", g);
                for (RectangleGate.Range range : r.ranges()) {
                    open(GATING_NS, "dimension");
                    dimensionAttributes(range.dimension());
                    if (range.min() != Double.NEGATIVE_INFINITY) w.writeAttribute(GATING_NS, "min", number(range.min()));
                    if (range.max() != Double.POSITIVE_INFINITY) w.writeAttribute(GATING_NS, "max", number(range.max()));
                    dimensionContent(range.dimension());
                    close();
                }
            } else if (g instanceof PolygonGate p) {
                gateStart("PolygonGate", g);
                dimension(p.x());
                dimension(p.y());
                for (PolygonGate.Vertex v : p.vertices()) {
                    open(GATING_NS, "vertex");
                    coordinate(v.x());
                    coordinate(v.y());
                    close();
                }
            } else if (g instanceof EllipsoidGate e) {
                gateStart("EllipsoidGate", g);
                for (Dimension d : e.dimensions()) dimension(d);
                open(GATING_NS, "mean");
                for (double v : e.mean()) coordinate(v);
                close();
                open(GATING_NS, "covarianceMatrix");
                for (double[] row : e.covarianceMatrix()) {
                    open(GATING_NS, "row");
                    for (double v : row) {
                        empty(GATING_NS, "entry");
                        w.writeAttribute(DATATYPES_NS, "value", number(v));
                    }
                    close();
                }
                close();
                empty(GATING_NS, "distanceSquare");
                w.writeAttribute(DATATYPES_NS, "value", number(e.distanceSquare()));
            } else if (g instanceof QuadrantGate q) {
                gateStart("QuadrantGate", g);
                for (QuadrantGate.Divider d : q.dividers()) {
                    open(GATING_NS, "divider");
                    w.writeAttribute(GATING_NS, "id", d.id());
                    dimensionAttributes(d.dimension());
                    dimensionContent(d.dimension());
                    for (double v : d.values()) {
                        start(GATING_NS, "value");
                        w.writeCharacters(number(v));
                        w.writeEndElement();
                    }
                    close();
                }
                for (QuadrantGate.Quadrant qu : q.quadrants()) {
                    open(GATING_NS, "Quadrant");
                    w.writeAttribute(GATING_NS, "id", qu.id());
                    for (QuadrantGate.Position p : qu.positions()) {
                        empty(GATING_NS, "position");
                        w.writeAttribute(GATING_NS, "divider_ref", p.dividerRef());
                        w.writeAttribute(GATING_NS, "location", number(p.location()));
                    }
                    close();
                }
            } else if (g instanceof BooleanGate b) {
                gateStart("BooleanGate", g);
                open(GATING_NS, b.operator().xmlName());
                for (BooleanGate.Operand o : b.operands()) {
                    empty(GATING_NS, "gateReference");
                    w.writeAttribute(GATING_NS, "ref", o.ref());
                    if (o.complement()) w.writeAttribute(GATING_NS, "use-as-complement", "true");
                }
                close();
            } else {
                throw new IllegalStateException("gate type " + g.getClass());
            }
            close();
        }

        private void coordinate(double v) throws XMLStreamException {
            empty(GATING_NS, "coordinate");
            w.writeAttribute(DATATYPES_NS, "value", number(v));
        }

        private void dimension(Dimension d) throws XMLStreamException {
            open(GATING_NS, "dimension");
            dimensionAttributes(d);
            dimensionContent(d);
            close();
        }

        private void dimensionAttributes(Dimension d) throws XMLStreamException {
            if (d.transformationRef() != null) w.writeAttribute(GATING_NS, "transformation-ref", d.transformationRef());
            w.writeAttribute(GATING_NS, "compensation-ref", d.compensationRef());
        }

        private void dimensionContent(Dimension d) throws XMLStreamException {
            if (d instanceof FcsDimension f) {
                fcsName(f.name());
            } else {
                empty(DATATYPES_NS, "new-dimension");
                w.writeAttribute(DATATYPES_NS, "transformation-ref", ((RatioDimension) d).ratioRef());
            }
        }
    }
}
