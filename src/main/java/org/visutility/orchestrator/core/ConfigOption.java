package org.visutility.orchestrator.core;

import org.visutility.orchestrator.config.ConfigLoader;
import org.visutility.orchestrator.config.OrchestratorConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** The {@code --config FILE} option shared by every command that opens the database. */
public final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with settings (the environment overrides it)")
    Path file;

    /** The environment the configuration is read from (the command line's factory may replace it). */
    private Map<String, String> environment = System.getenv();

    /** Reads settings from this environment instead of the process's (tests run commands in-process). */
    public void useEnvironment(Map<String, String> environment) {
        this.environment = environment;
    }

    public OrchestratorConfig load() {
        return ConfigLoader.load(file, environment);
    }

    /**
     * Loads with some settings preset (the demo's short intervals): they replace the defaults and
     * the file's values, and the environment still overrides them.
     */
    public OrchestratorConfig load(Map<String, String> presets) {
        Map<String, String> merged = new java.util.HashMap<>(presets);
        merged.putAll(environment);
        return ConfigLoader.load(file, merged);
    }
}
