package org.cikqc.gating.gatingml;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.SAXException;

/**
 * The official Gating-ML 2.0 XML schemas (ISAC, redistributed unmodified as resources next to this class), loaded
 * from the class path only: schema imports resolve to those resources and any other external access is refused.
 */
final class GatingMlSchema {
    static final String GATING_NS = "http://www.isac-net.org/std/Gating-ML/v2.0/gating";
    static final String TRANSFORMS_NS = "http://www.isac-net.org/std/Gating-ML/v2.0/transformations";
    static final String DATATYPES_NS = "http://www.isac-net.org/std/Gating-ML/v2.0/datatypes";

    private static final String DIR = "xsd/";

    private GatingMlSchema() { }

    /** Lazily loaded, immutable and thread-safe. */
    private static final class Holder {
        static final Schema SCHEMA = load();
    }

    static Schema schema() { return Holder.SCHEMA; }

    private static Schema load() {
        SchemaFactory f = SchemaFactory.newDefaultInstance();
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setResourceResolver(new ClasspathResolver());
            URL main = resource("Gating-ML.v2.0.xsd");
            try (InputStream in = main.openStream()) {
                return f.newSchema(new StreamSource(in, main.toExternalForm()));
            }
        } catch (SAXException e) {
            throw new IllegalStateException("bundled Gating-ML schema does not load: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("bundled Gating-ML schema unreadable", e);
        }
    }

    private static URL resource(String name) {
        URL u = GatingMlSchema.class.getResource(DIR + name);
        if (u == null) throw new IllegalStateException("bundled Gating-ML schema missing: " + DIR + name);
        return u;
    }

    /** Resolves the schemas' imports (by file name) to the bundled copies; anything else is refused. */
    private static final class ClasspathResolver implements LSResourceResolver {
        @Override
        public LSInput resolveResource(String type, String namespaceURI, String publicId, String systemId,
                                       String baseURI) {
            String name = systemId == null ? null : systemId.substring(systemId.lastIndexOf('/') + 1);
            if (TRANSFORMS_NS.equals(namespaceURI)) name = "Transformations.v2.0.xsd";
            else if (DATATYPES_NS.equals(namespaceURI)) name = "DataTypes.v2.0.xsd";
            else if (GATING_NS.equals(namespaceURI)) name = "Gating-ML.v2.0.xsd";
            if (name == null || GatingMlSchema.class.getResource(DIR + name) == null) {
                throw new IllegalStateException("Gating-ML schema import of '" + systemId + "' refused (no network access)");
            }
            return new Input(resource(name), publicId);
        }
    }

    /** A class-path resource as an LSInput. */
    private static final class Input implements LSInput {
        private final URL url;
        private String publicId;

        Input(URL url, String publicId) {
            this.url = url;
            this.publicId = publicId;
        }

        @Override public Reader getCharacterStream() { return null; }
        @Override public void setCharacterStream(Reader characterStream) { throw new UnsupportedOperationException(); }
        @Override
        public InputStream getByteStream() {
            try {
                return url.openStream();
            } catch (IOException e) {
                throw new UncheckedIOException("bundled Gating-ML schema unreadable: " + url, e);
            }
        }
        @Override public void setByteStream(InputStream byteStream) { throw new UnsupportedOperationException(); }
        @Override public String getStringData() { return null; }
        @Override public void setStringData(String stringData) { throw new UnsupportedOperationException(); }
        @Override public String getSystemId() { return url.toExternalForm(); }
        @Override public void setSystemId(String systemId) { throw new UnsupportedOperationException(); }
        @Override public String getPublicId() { return publicId; }
        @Override public void setPublicId(String publicId) { this.publicId = publicId; }
        @Override public String getBaseURI() { return null; }
        @Override public void setBaseURI(String baseURI) { throw new UnsupportedOperationException(); }
        @Override public String getEncoding() { return null; }
        @Override public void setEncoding(String encoding) { throw new UnsupportedOperationException(); }
        @Override public boolean getCertifiedText() { return false; }
        @Override public void setCertifiedText(boolean certifiedText) { throw new UnsupportedOperationException(); }
    }
}
