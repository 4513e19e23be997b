package org.cikqc.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lower-case hex, the form every cikqc record uses for file and content hashes. */
public final class Sha256 {
    /** The hash of "no previous entry": 64 zeros. */
    public static final String ZERO = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();

    private Sha256() { }

    /** A fresh SHA-256 digest (every JDK ships one, so this never fails). */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new CikqcException(CikqcException.Kind.INTERNAL, "SHA-256 is not available in this JVM", e);
        }
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(newDigest().digest(bytes));
    }

    /** Lower-case hex SHA-256 of {@code len} bytes of {@code bytes} from {@code off}. */
    public static String hex(byte[] bytes, int off, int len) {
        MessageDigest md = newDigest();
        md.update(bytes, off, len);
        return HEX.formatHex(md.digest());
    }

    /** Lower-case hex of a finished digest. */
    public static String hex(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }

    /**
     * Lower-case hex SHA-256 of a file's bytes, streamed (memory does not grow with the file).
     *
     * @throws IOException when the file cannot be read
     */
    public static String hex(Path file) throws IOException {
        MessageDigest md = newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = RegularFiles.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        return HEX.formatHex(md.digest());
    }

    /** Like {@link #hex(Path)}, but null when the file cannot be read (vanished, unreadable). */
    public static String hexOrNull(Path file) {
        try {
            return hex(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** True when {@code s} is 64 lower-case hex digits. */
    public static boolean isHex(String s) {
        if (s == null || s.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }
}
