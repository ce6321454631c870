package org.visutility.orchestrator.config;

/**
 * One bearer token of the HTTP API: its name (recorded as the actor of what it changes), the secret
 * a caller presents, its role, and (for an ingest token) what a changed value it posts does.
 */
public record ApiToken(String name, String secret, ApiRole role, OnChangedValue onChangedValue) {
    /** A token whose changed values are rejected (every token but an ingest token marked revise). */
    public ApiToken(String name, String secret, ApiRole role) {
        this(name, secret, role, OnChangedValue.REJECT);
    }

    @Override
    public String toString() {
        return role + " token " + name; // never the secret (configurations get logged)
    }
}
