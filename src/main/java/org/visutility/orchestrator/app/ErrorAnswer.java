package org.visutility.orchestrator.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.spec.PolicyFileException;
import org.visutility.orchestrator.policy.spec.Problem;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * How every command tells a failure, in one place: one line on stderr ("orchestrator: what"), and
 * with {@code --json} also one JSON object on stdout ({@code {"error": ..., "exit_code": ...,
 * "command": ...}}), so that a script reads every outcome, errors included, from stdout.
 */
final class ErrorAnswer {
    static final String JSON_OPTION = "--json";

    private ErrorAnswer() {
    }

    /** picocli's handler of exceptions a command throws: the answer, and the exit status of {@link Main#exitCodeFor}. */
    static CommandLine.IExecutionExceptionHandler forExecution() {
        return (ex, commandLine, parseResult) -> {
            int status = Main.exitCodeFor(ex);
            tell(Main.messageFor(ex), status, commandLine, jsonRequested(parseResult), ex);
            return status;
        };
    }

    /**
     * picocli's handler of a command line that does not parse (an unknown option, a missing
     * parameter): with --json the answer above; otherwise picocli's own (the message and the usage).
     */
    static CommandLine.IParameterExceptionHandler forParameters(CommandLine.IParameterExceptionHandler plain, int status) {
        return (ex, args) -> {
            if (!jsonRequested(args)) return plain.handleParseException(ex, args);
            CommandLine at = ex.getCommandLine();
            tell(ex.getMessage() + " (try --help)", status, at, true, ex);
            return status;
        };
    }

    private static void tell(String message, int status, CommandLine at, boolean json, Throwable ex) {
        System.err.println("orchestrator: " + message);
        if (!json) return;
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put("error", message)
                .put("exit_code", status)
                .put("command", command(at));
        if (ex instanceof PolicyFileException invalid) {
            ArrayNode problems = out.putArray("problems");
            for (Problem p : invalid.problems()) {
                problems.addObject().put("line", p.line()).put("field", p.field()).put("reason", p.reason());
            }
        }
        PrintStream stdout = System.out;
        stdout.println(out);
        stdout.flush();
    }

    /** "experiments show": the command's words after the program's name. */
    private static String command(CommandLine at) {
        if (at == null) return "";
        String qualified = at.getCommandSpec().qualifiedName(" ");
        int space = qualified.indexOf(' ');
        return space < 0 ? "" : qualified.substring(space + 1);
    }

    private static boolean jsonRequested(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(JSON_OPTION)) return true;
        }
        return false;
    }

    /** The raw words, up to "--" (after it, --json would be a parameter). */
    static boolean jsonRequested(String[] args) {
        return Arrays.stream(args).takeWhile(a -> !"--".equals(a)).anyMatch(JSON_OPTION::equals);
    }
}
