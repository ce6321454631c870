package org.visutility.orchestrator.config;

/** A setting has a bad value; the message names the setting and the rule it breaks. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public static ConfigException of(String setting, String rule) {
        return new ConfigException("invalid setting " + setting + ": " + rule);
    }
}
