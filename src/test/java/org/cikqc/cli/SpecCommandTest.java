package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cikqc.qc.QcSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecCommandTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) { }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printDefaultPrintsTheEmbeddedBytes() {
        Run r = run("spec", "--print-default");
        assertEquals(0, r.code(), r.err());
        assertEquals(new String(QcSpec.defaultSpecBytes(), StandardCharsets.UTF_8), r.out());
    }

    @Test
    void validateAcceptsAValidFileAndPrintsItsHash() throws IOException {
        Path f = tmp.resolve("site.json");
        Files.writeString(f, run("spec", "--print-default").out());
        Run r = run("spec", "--validate", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("valid cikqc.spec/1 spec 'cik-release-default' version 1.5.0, sha256 "
                + QcSpec.defaultSpec().sha256()), r.out());
    }

    @Test
    void validateRejectsAnInvalidFileWithExit4NamingTheField() throws IOException {
        Path f = tmp.resolve("bad.json");
        String text = new String(QcSpec.defaultSpecBytes(), StandardCharsets.UTF_8)
                .replace("\"minViable\": 10000", "\"minViable\": \"many\"");
        Files.writeString(f, text);
        Run r = run("spec", "--validate", f.toString());
        assertEquals(4, r.code());
        assertTrue(r.err().contains("bad.json: limits.events.minViable must be an integer (got \"many\")"), r.err());
        Run missing = run("spec", "--validate", tmp.resolve("none.json").toString());
        assertEquals(4, missing.code());
        assertTrue(missing.err().contains("spec file not found"), missing.err());
    }

    @Test
    void exactlyOneActionIsRequired() {
        assertEquals(2, run("spec").code());
        assertEquals(2, run("spec", "--print-default", "--validate", "x.json").code());
        Run help = run("spec", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--validate=FILE"), help.out());
    }
}
