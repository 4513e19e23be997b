package org.cikqc.pipeline;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@link SampleRunner#run} wrote for one sample.
 *
 * @param sample        the folder name
 * @param directory     {@code outRoot/<sample>}
 * @param resultJson    its {@code result.json}
 * @param resultSha256  SHA-256 of the result.json bytes
 * @param verdict       PASS, FAIL or INDETERMINATE
 * @param outputs       every file written, in a stable order
 * @param result        the result document as a tree
 */
public record SampleOutcome(String sample, Path directory, Path resultJson, String resultSha256, String verdict,
                            List<Path> outputs, JsonNode result) {
    public SampleOutcome {
        outputs = List.copyOf(outputs);
    }
}
