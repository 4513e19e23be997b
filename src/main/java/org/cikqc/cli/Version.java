package org.cikqc.cli;

import org.cikqc.common.BuildInfo;

import picocli.CommandLine;

/** Version text for --version. */
final class Version {
    private Version() { }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cikqc " + BuildInfo.version() + " (commit " + BuildInfo.commit() + ")"};
        }
    }
}
