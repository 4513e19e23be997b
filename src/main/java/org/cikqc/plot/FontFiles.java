package org.cikqc.plot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.Sha256;

/**
 * Content-named copies of the bundled font files on disk, for {@code java.awt.Font}, which draws only fonts it
 * reads from a file. A copy lives in a folder of the temporary folder that belongs to the user and that only they
 * may enter ({@code cikqc-fonts-USER}, mode 700 where the file system has POSIX permissions), is named by its
 * SHA-256 ({@code DejaVuSans-0123456789abcdef.ttf}), is written once (atomically: a tracked temporary renamed into
 * place) and is never deleted, so no process, however it ends, leaves a font copy behind, and two versions of cikqc
 * with different faces never overwrite each other's.
 *
 * <p>Every use compares the copy byte for byte with the bundled face first, and rewrites it if it differs (a
 * damaged or truncated copy); a folder that is a link, belongs to someone else, or that others may write to is not
 * used. When the copy cannot be used, {@link #cached} is empty and the caller falls back to the JDK's own copy.
 */
final class FontFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private FontFiles() { }

    /** The verified on-disk copy of {@code data} named after {@code stem}, written if needed; empty if unusable. */
    static Optional<Path> cached(String stem, byte[] data) {
        String tmp = System.getProperty("java.io.tmpdir");
        if (tmp == null || tmp.isBlank()) return Optional.empty();
        return cached(Path.of(tmp), stem, data);
    }

    /** {@link #cached(String, byte[])} with the user's font folder made in {@code tmpRoot}. */
    static Optional<Path> cached(Path tmpRoot, String stem, byte[] data) {
        try {
            Path dir = folder(tmpRoot);
            if (dir == null) return Optional.empty();
            Path file = dir.resolve(stem + "-" + Sha256.hex(data).substring(0, 16) + ".ttf");
            if (!sameContent(file, data)) {
                if (AtomicFiles.isStopping()) return Optional.empty();
                AtomicFiles.write(file, data);
                if (!sameContent(file, data)) return Optional.empty();
            }
            return Optional.of(file);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The user's private font folder, created if missing; null when it is not safe or not possible to use. */
    private static Path folder(Path tmpRoot) throws IOException {
        String user = System.getProperty("user.name", "");
        Path dir = tmpRoot.resolve("cikqc-fonts-" + (user.isBlank() ? "user" : user.replaceAll("[^A-Za-z0-9._-]", "_")));
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (AtomicFiles.isStopping()) return null;
            try {
                if (posix) Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                else Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another process made it meanwhile: checked below like any existing folder
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return null;
        if (posix) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                return null;
            }
            UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
            if (!owner.equals(currentUser())) return null;
        }
        return dir;
    }

    /** The user this process runs as, as the file system names owners (the owner of a file it creates). */
    private static UserPrincipal currentUser() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name", ""));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** True when {@code file} is a regular file (not a link) holding exactly {@code data}. */
    private static boolean sameContent(Path file, byte[] data) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != data.length) return false;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return Arrays.equals(in.readNBytes(data.length + 1), data); // one byte more: no trailing data either
        }
    }
}
