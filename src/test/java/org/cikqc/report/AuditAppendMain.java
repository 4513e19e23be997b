package org.cikqc.report;

import java.nio.file.Path;
import java.util.List;

/** Appends N entries to an audit log from a separate JVM (cross-process locking test). */
public final class AuditAppendMain {
    private AuditAppendMain() { }

    public static void main(String[] args) {
        AuditLog log = AuditLog.open(Path.of(args[0]));
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
            log.append(new AuditLog.Entry("child", "child-process", List.of(), List.of(), AuditLog.details("i", i)));
        }
    }
}
