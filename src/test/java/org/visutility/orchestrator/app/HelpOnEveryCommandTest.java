package org.visutility.orchestrator.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.ExitCode;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Walks the whole command tree: every command and subcommand answers --help with its usage, exit 0. */
class HelpOnEveryCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private static void walk(CommandLine command, List<String> path, List<List<String>> all) {
        all.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            // picocli lists an alias as a key of its own; the command is walked once, by its name
            if (!name.equals(sub.getCommandName())) return;
            List<String> next = new ArrayList<>(path);
            next.add(name);
            walk(sub, next, all);
        });
    }

    private static List<List<String>> everyCommand() {
        List<List<String>> all = new ArrayList<>();
        walk(Main.commandLine(Map.of()), List.of(), all);
        return all;
    }

    @Test
    void theTreeHoldsTheCommandsTheReadmePromises() {
        assertThat(everyCommand().stream().map(p -> String.join(" ", p)))
                .contains("serve", "demo", "migrate", "policies", "policies apply", "policies backtest", "experiments show", "ops failed")
                .hasSizeGreaterThan(30);
    }

    @Test
    void everyCommandAndSubcommandPrintsItsUsageOnHelpAndExits0() {
        List<String> failures = new ArrayList<>();
        for (List<String> path : everyCommand()) {
            out.reset();
            err.reset();
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            int status = Main.run(Map.of(), args.toArray(String[]::new));
            String usage = out.toString(StandardCharsets.UTF_8);
            String expected = "Usage: " + String.join(" ", prepend("orchestrator", path));
            if (status != ExitCode.OK || !usage.contains(expected)) {
                failures.add(String.join(" ", args) + " -> exit " + status + ", stdout " + firstLine(usage) + ", stderr " + firstLine(err.toString(StandardCharsets.UTF_8)));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everySummaryInACommandListIsAWholeSentence() {
        // a parent lists the first line of each subcommand's description; a line cut mid-sentence reads as a bug
        List<String> cut = new ArrayList<>();
        for (List<String> path : everyCommand()) {
            if (path.isEmpty()) continue;
            CommandLine command = Main.commandLine(Map.of());
            for (String name : path) command = command.getSubcommands().get(name);
            String[] description = command.getCommandSpec().usageMessage().description();
            String first = description.length == 0 ? "" : description[0].strip();
            if (!first.endsWith(".") && !first.endsWith(")")) cut.add(String.join(" ", path) + ": " + first);
        }
        assertThat(cut).isEmpty();
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("(nothing)");
    }
}
