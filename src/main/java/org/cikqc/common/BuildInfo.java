package org.cikqc.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Tool version and build commit, from the resource written at build time ({@code cikqc-build.properties}). */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() { }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/cikqc-build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // resource unreadable: fall back to "unknown" below
            p.clear();
        }
        return p;
    }

    public static String version() { return value("version", "0.0.0-dev"); }

    /** The git commit the jar was built from, or "unknown". */
    public static String commit() { return value("commit", "unknown"); }

    private static String value(String key, String dflt) {
        String v = PROPS.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? dflt : v.strip();
    }
}
