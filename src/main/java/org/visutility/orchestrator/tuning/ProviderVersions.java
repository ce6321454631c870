package org.visutility.orchestrator.tuning;

import org.visutility.orchestrator.core.Version;

/**
 * The version a strategy or trainer provider reports unless it says otherwise: the
 * Implementation-Version of the jar it ships in; for the orchestrator's own providers run from
 * classes, the orchestrator's version. Lineage records it with every experiment.
 */
public final class ProviderVersions {
    public static final String UNVERSIONED = "unversioned";
    private static final String OWN_PACKAGE = "org.visutility.orchestrator.";

    private ProviderVersions() {
    }

    public static String of(Class<?> provider) {
        Package p = provider.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        if (v != null) return v;
        return provider.getName().startsWith(OWN_PACKAGE) ? Version.current() : UNVERSIONED;
    }
}
