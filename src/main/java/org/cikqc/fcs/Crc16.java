package org.cikqc.fcs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** CRC-16/CCITT (polynomial 0x1021, initial value 0xFFFF), as the FCS 3.x standard's optional CRC trailer uses. */
final class Crc16 {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 8;
            for (int k = 0; k < 8; k++) c = (c & 0x8000) != 0 ? (c << 1) ^ 0x1021 : c << 1;
            TABLE[i] = c & 0xFFFF;
        }
    }

    private Crc16() { }

    static int update(int crc, byte[] b, int off, int n) {
        int c = crc;
        for (int i = off; i < off + n; i++) c = ((c << 8) ^ TABLE[((c >>> 8) ^ b[i]) & 0xFF]) & 0xFFFF;
        return c;
    }

    /** CRC over bytes [from, to) of the channel, streamed. */
    static int ccitt(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        int crc = 0xFFFF;
        long p = from;
        while (p < to) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), to - p));
            int r = ch.read(buf, p);
            if (r <= 0) break;
            crc = update(crc, buf.array(), 0, r);
            p += r;
        }
        return crc;
    }
}
