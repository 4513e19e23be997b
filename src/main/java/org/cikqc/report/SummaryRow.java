package org.cikqc.report;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One sample of a batch or watch summary: its result (or error row) and the folder under the output root that holds
 * its record. Two inputs of one name from different folders get different result folders ({@code s} and
 * {@code s-ce869302}); the folder is what tells their rows apart.
 *
 * @param result the {@code result.json} tree, or an error row
 * @param folder the result or error folder's name under the output root, or null when there is none
 */
public record SummaryRow(JsonNode result, String folder) {
    public SummaryRow {
        Objects.requireNonNull(result, "result");
    }

    /** Rows without folders (results rendered on their own). */
    public static List<SummaryRow> of(List<JsonNode> results) {
        return results.stream().map(r -> new SummaryRow(r, null)).toList();
    }

    /**
     * The sample as a reader of the summary tells it apart: the file name, followed by its folder in parentheses
     * when the folder is not simply the file's name without its extension.
     */
    public String label() {
        String file = new ResultView(result).sampleFile();
        if (folder == null || file == null) return file;
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        return folder.equals(stem) || folder.equals(file) ? file : file + " (" + folder + ")";
    }
}
