package org.visutility.orchestrator.app;

import org.visutility.orchestrator.node.CommandNodeModules;
import org.visutility.orchestrator.bench.BenchCommand;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.config.ConfigException;
import org.visutility.orchestrator.policy.PoliciesCommand;
import org.visutility.orchestrator.experiment.ExperimentsCommand;
import org.visutility.orchestrator.experiment.TrialsCommand;
import org.visutility.orchestrator.model.ModelsCommand;
import org.visutility.orchestrator.store.DatabaseUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;

/** The {@code orchestrator} command line. */
@Command(name = "orchestrator", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "VisuTility Orchestrator: watch production ML models, retrain them by policy, trace every decision in SQL.",
        subcommands = {ServeCommand.class, MigrateCommand.class, RolesCommand.class, org.visutility.orchestrator.collect.IngestCommand.class,
                PoliciesCommand.class, ExperimentsCommand.class, TrialsCommand.class, ModelsCommand.class, org.visutility.orchestrator.reference.ReferencesCommand.class, BenchCommand.class,
                org.visutility.orchestrator.app.demo.DemoCommand.class, org.visutility.orchestrator.ops.OpsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    static {
        // a command that runs work itself starts a node with every cluster-wide job (see Modules.commandNode)
        CommandNodeModules.use(Modules::commandNode);
    }

    public static void main(String[] args) {
        int status = run(args);
        // serve returns only after shutdown; other commands exit here
        System.exit(status);
    }

    /** Runs a command line with the process environment and returns its exit status. */
    public static int run(String... args) {
        return run(System.getenv(), args);
    }

    /** Runs a command line reading settings from the given environment (tests use this). */
    public static int run(Map<String, String> environment, String... args) {
        return commandLine(environment).execute(args);
    }

    /** The whole command tree, wired: settings from the environment, help on every command, errors answered alike. */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K object = defaults.create(cls);
                if (object instanceof ConfigOption option) option.useEnvironment(environment);
                return object;
            }
        };
        CommandLine cli = new CommandLine(new Main(), factory);
        HelpEverywhere.addTo(cli);
        cli.setExitCodeExceptionMapper(Main::exitCodeFor);
        // with --json an error is also one JSON object on stdout (ErrorAnswer)
        cli.setExecutionExceptionHandler(ErrorAnswer.forExecution());
        cli.setParameterExceptionHandler(ErrorAnswer.forParameters(cli.getParameterExceptionHandler(), ExitCode.USAGE));
        cli.getCommandSpec().exitCodeOnInvalidInput(ExitCode.USAGE);
        cli.getCommandSpec().exitCodeOnExecutionException(ExitCode.FAILED);
        return cli;
    }

    static int exitCodeFor(Throwable ex) {
        if (ex instanceof ConfigException || ex instanceof CommandLine.ParameterException
                || ex instanceof UsageException) {
            return ExitCode.USAGE;
        }
        return ExitCode.FAILED;
    }

    static String messageFor(Throwable ex) {
        if (ex instanceof ConfigException || ex instanceof DatabaseUnavailableException || ex instanceof UsageException) {
            return ex.getMessage();
        }
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof DatabaseUnavailableException) return root.getMessage();
            root = root.getCause();
        }
        if (root instanceof DatabaseUnavailableException) return root.getMessage();
        String m = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        return m;
    }
}
