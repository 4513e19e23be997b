package org.cikqc.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared reference folder ({@code ../shared}) through {@code CIKQC_SHARED}, else the
 * {@code CIKQC_SHARED_DEFAULT} that surefire sets to {@code ${basedir}/../shared}. Tests that need it abort
 * loudly (a JUnit assumption naming the folder) when it is absent.
 */
public final class Shared {
    private Shared() { }

    /** The shared folder, or null when absent. */
    public static Path rootOrNull() {
        String env = System.getenv("CIKQC_SHARED");
        if (env == null || env.isBlank()) env = System.getenv("CIKQC_SHARED_DEFAULT");
        if (env == null || env.isBlank()) env = "../shared";
        Path p = Path.of(env).toAbsolutePath().normalize();
        return Files.isDirectory(p) ? p : null;
    }

    /** The shared folder; aborts the calling test with a message naming the folder when it is absent. */
    public static Path root() {
        Path p = rootOrNull();
        String where = System.getenv("CIKQC_SHARED") != null ? System.getenv("CIKQC_SHARED")
                : String.valueOf(System.getenv("CIKQC_SHARED_DEFAULT"));
        Assumptions.assumeTrue(p != null,
                "SKIPPED: shared reference folder '" + where + "' is absent (set CIKQC_SHARED); test needs it");
        return p;
    }

    /** A path inside the shared folder; aborts loudly when the folder or the path is absent. */
    public static Path resolve(String rel) {
        Path p = root().resolve(rel);
        Assumptions.assumeTrue(Files.exists(p), "SKIPPED: shared file '" + p + "' is absent");
        return p;
    }
}
