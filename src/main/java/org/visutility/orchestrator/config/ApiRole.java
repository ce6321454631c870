package org.visutility.orchestrator.config;

/**
 * What a bearer token may do on the node's HTTP API. An operator token may also do what a read
 * token may; an ingest token may only post snapshots.
 */
public enum ApiRole {
    /** POST /api/v1/snapshots and /api/v1/distributions (ORCHESTRATOR_INGEST_TOKENS). */
    INGEST(Setting.INGEST_TOKENS),
    /** The control API: submit, cancel, restart, abandon, policies, promote... (ORCHESTRATOR_OPERATOR_TOKENS). */
    OPERATOR(Setting.OPERATOR_TOKENS),
    /** The dashboard's read API (ORCHESTRATOR_READ_TOKENS). */
    READ(Setting.READ_TOKENS);

    private final Setting setting;

    ApiRole(Setting setting) {
        this.setting = setting;
    }

    /** The setting that lists this role's tokens. */
    public Setting setting() {
        return setting;
    }

    /** Whether a token of this role may do what {@code needed} allows. */
    public boolean grants(ApiRole needed) {
        return this == needed || (this == OPERATOR && needed == READ);
    }

    /** The name a token written without one gets: its role and its place in the list (operator-1). */
    String derivedName(int position) {
        return name().toLowerCase(java.util.Locale.ROOT) + "-" + position;
    }
}
