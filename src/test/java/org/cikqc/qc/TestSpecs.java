package org.cikqc.qc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Variants of the default spec for tests: edit its JSON tree, then parse it like a user file. */
final class TestSpecs {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private TestSpecs() { }

    static ObjectNode defaultTree() {
        try {
            return (ObjectNode) MAPPER.readTree(QcSpec.defaultSpecBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default spec with an edit applied. */
    static QcSpec modified(Consumer<ObjectNode> edit) {
        ObjectNode t = defaultTree();
        edit.accept(t);
        return QcSpec.parse(bytes(t), "test-spec.json");
    }

    /** The object at a dotted path ("limits.attributes.cd3_pct"). */
    static ObjectNode at(ObjectNode root, String dotted) {
        ObjectNode n = root;
        for (String k : dotted.split("\\.")) n = (ObjectNode) n.get(k);
        return n;
    }
}
