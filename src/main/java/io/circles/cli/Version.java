package io.circles.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the jar's implementation version, when the manifest has one. */
public class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Version.class.getPackage().getImplementationVersion();
        return new String[] {"circles " + (version == null ? "(development build)" : version)};
    }
}
