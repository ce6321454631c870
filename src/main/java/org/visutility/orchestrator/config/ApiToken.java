package org.visutility.orchestrator.config;

/**
 * One bearer token of the HTTP API: its name (recorded as the actor of what it changes), the secret
 * a caller presents, and its role.
 */
public record ApiToken(String name, String secret, ApiRole role) {
    @Override
    public String toString() {
        return role + " token " + name; // never the secret (configurations get logged)
    }
}
