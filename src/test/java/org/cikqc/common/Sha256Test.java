package org.cikqc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void knownVector(@TempDir Path dir) throws Exception {
        assertEquals(ABC, Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(ABC, Sha256.hex("xabcx".getBytes(StandardCharsets.US_ASCII), 1, 3));
        Path f = dir.resolve("f");
        Files.writeString(f, "abc");
        assertEquals(ABC, Sha256.hex(f));
        assertTrue(Sha256.isHex(ABC));
        assertTrue(Sha256.isHex(Sha256.ZERO));
        assertFalse(Sha256.isHex(ABC.toUpperCase()));
        assertFalse(Sha256.isHex("abc"));
    }
}
