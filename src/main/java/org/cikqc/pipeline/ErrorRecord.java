package org.cikqc.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.BuildInfo;
import org.cikqc.common.CikqcException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The record left for an input that produced no result: {@code OUT/<sample>/error.json}, schema
 * {@value #SCHEMA}, written as a staged folder (complete or absent) like a result folder:
 * <pre>
 * {
 *   "schema" : "cikqc.error/1",
 *   "file" : "/abs/path/tube3.fcs",
 *   "sha256" : "…" | null,          // null when the file could not be read
 *   "kind" : "INVALID_INPUT",       // INVALID_INPUT, INVALID_SPEC, OUTPUT_IO, INTERNAL
 *   "exit_code" : 3,
 *   "message" : "one line",
 *   "command" : "batch",            // analyze, batch, hook, watch
 *   "tool_version" : "…", "build_commit" : "…"
 * }
 * </pre>
 * Like {@code result.json} it holds no time stamp (the audit entry has it), so the same failure gives the same
 * bytes.
 *
 * <p>Folder name: the sample's {@linkplain OutputNames#preferredName preferred name}; when that folder exists and
 * is not an error record of the same file, {@code <name>-<first 8 hex of sha256>}, then {@code <name>-error},
 * {@code <name>-error-2}, … An error record of the same file (same path and SHA-256) is replaced.
 */
public final class ErrorRecord {
    /** The schema identifier written in every error record. */
    public static final String SCHEMA = "cikqc.error/1";
    /** The file name of an error record inside its folder. */
    public static final String FILE_NAME = "error.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ErrorRecord() { }

    /**
     * The record's content.
     *
     * @param file    absolute input path
     * @param sha256  input SHA-256 or null
     * @param kind    error kind
     * @param message one-line message
     * @param command the command that ran the analysis
     * @return the JSON object
     */
    public static ObjectNode content(Path file, String sha256, CikqcException.Kind kind, String message,
            String command) {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema", SCHEMA);
        o.put("file", file.toAbsolutePath().normalize().toString());
        if (sha256 == null) o.putNull("sha256");
        else o.put("sha256", sha256);
        o.put("kind", kind.name());
        o.put("exit_code", kind.exitCode());
        o.put("message", oneLine(message));
        o.put("command", command);
        o.put("tool_version", BuildInfo.version());
        o.put("build_commit", BuildInfo.commit());
        return o;
    }

    /**
     * Writes an error record for {@code file} under {@code outRoot} and returns the path of its
     * {@value #FILE_NAME}.
     *
     * @throws CikqcException (OUTPUT_IO) when it cannot be written
     */
    public static Path write(Path outRoot, Path file, String sha256, CikqcException.Kind kind, String message,
            String command) {
        Objects.requireNonNull(outRoot, "outRoot");
        ObjectNode content = content(file, sha256, kind, message, command);
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(content) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new CikqcException(CikqcException.Kind.INTERNAL, "cannot format an error record: " + e.getMessage(), e);
        }
        String base = OutputNames.preferredName(file);
        String abs = content.path("file").asText();
        int n = 0;
        while (true) {
            String name = candidate(base, sha256, n++);
            Path dir = outRoot.resolve(name);
            boolean exists = Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
            if (exists && !sameInput(dir, abs, sha256)) continue;
            try (AtomicFiles.Staging st = AtomicFiles.stageDirectory(dir)) {
                st.write(FILE_NAME, bytes);
                Path committed = exists ? st.commitReplacing() : st.commit();
                return committed.resolve(FILE_NAME);
            }
        }
    }

    private static String candidate(String base, String sha256, int n) {
        String sha8 = sha256 != null && sha256.length() >= 8 ? sha256.substring(0, 8) : null;
        if (n == 0) return base;
        if (sha8 != null && n == 1) return base + "-" + sha8;
        int k = sha8 != null ? n - 1 : n; // 1, 2, … for "-error", "-error-2", …
        return base + "-error" + (k == 1 ? "" : "-" + k);
    }

    /** True when {@code dir} holds only an error record of the same file (path and SHA-256). */
    private static boolean sameInput(Path dir, String absFile, String sha256) {
        Path rec = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(rec) || Files.exists(dir.resolve("result.json"))) return false;
        JsonNode n = read(rec);
        if (n == null || !SCHEMA.equals(n.path("schema").asText())) return false;
        String sha = n.path("sha256").isTextual() ? n.path("sha256").asText() : null;
        return absFile.equals(n.path("file").asText()) && Objects.equals(sha, sha256);
    }

    /** Reads an error record, or null when it is not readable JSON. */
    public static JsonNode read(Path errorJson) {
        try {
            return JSON.readTree(errorJson.toFile());
        } catch (IOException e) {
            return null; // an unreadable record is treated as foreign: a new folder name is chosen
        }
    }

    /** The message on one line (line breaks and tabs become spaces), at most about 2,000 characters. */
    public static String oneLine(String message) {
        if (message == null) return "";
        String bounded = org.cikqc.common.Problem.bounded(message, org.cikqc.common.Problem.MAX_ERROR_LINE);
        return bounded.replaceAll("[\\r\\n\\t]+", " ").strip();
    }
}
