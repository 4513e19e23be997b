package org.cikqc.compensation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.Keywords;

/**
 * Test-only reader of the HEADER and primary TEXT of every data set of an FCS file (following $NEXTDATA), so that
 * the parser can be exercised on real instrument keywords without depending on the FCS reader.
 */
final class MiniText {
    private MiniText() { }

    record DataSet(Keywords keywords, List<FcsParameter> params) { }

    static List<DataSet> read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        List<DataSet> out = new ArrayList<>();
        long off = 0;
        for (int guard = 0; guard < 8 && off < b.length; guard++) {
            int base = (int) off;
            int ts = Integer.parseInt(new String(b, base + 10, 8, StandardCharsets.US_ASCII).strip());
            int te = Integer.parseInt(new String(b, base + 18, 8, StandardCharsets.US_ASCII).strip());
            String text = new String(b, base + ts, te - ts + 1, StandardCharsets.ISO_8859_1);
            char delim = text.charAt(0);
            List<String> fields = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            for (int i = 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == delim) {
                    if (i + 1 < text.length() && text.charAt(i + 1) == delim && cur.length() > 0) {
                        cur.append(delim);
                        i++;
                        continue;
                    }
                    fields.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            if (cur.length() > 0) fields.add(cur.toString());
            List<Keywords.Entry> entries = new ArrayList<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) entries.add(new Keywords.Entry(fields.get(i), fields.get(i + 1), -1));
            Keywords kw = Keywords.of(entries);
            int par = Integer.parseInt(kw.getTrimmed("$PAR"));
            List<FcsParameter> params = new ArrayList<>();
            for (int p = 1; p <= par; p++) params.add(TestData.param(p, kw.getTrimmed("$P" + p + "N")));
            out.add(new DataSet(kw, params));
            String next = kw.getTrimmed("$NEXTDATA");
            long nd = next == null ? 0 : Long.parseLong(next);
            if (nd <= 0) break;
            off += nd;
        }
        return out;
    }
}
