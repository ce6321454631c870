package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.Mark;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;

import java.util.regex.Pattern;

/**
 * Says what is wrong with a YAML document, and where, without quoting it. The YAML parser's own
 * message shows the offending line under a caret, which for a file that is not YAML at all (a
 * policy whose {@code experiment:} names /etc/shadow) would print that file's lines in the answer.
 */
public final class YamlErrors {
    /**
     * Quoted text longer than a character or an escape, and the names after alias, anchor and tag: the
     * document's own text. A quote opens only after a space or a parenthesis and closes before one or
     * a punctuation mark, so that "expected ',' or '}'" keeps its two tokens (' or ' is no quote).
     */
    private static final Pattern QUOTED = Pattern.compile("(?<=^|[\\s(])('[^']{3,}'|\"[^\"]{3,}\")(?=$|[\\s,.;:)])");
    private static final Pattern NAMED = Pattern.compile("\\b(alias|anchor|handle|tag)\\s+\\S+");

    private YamlErrors() {
    }

    /** The line of the problem (1-based), 0 when unknown. */
    public static int line(JsonProcessingException e) {
        if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) return marked.getProblemMark().getLine() + 1;
        JsonLocation at = e.getLocation();
        return at == null ? 0 : Math.max(0, at.getLineNr());
    }

    /** "what is wrong (column C)": the parser's problem, its quotes of the document left out. */
    public static String what(JsonProcessingException e) {
        String problem;
        int column = 0;
        if (e instanceof MarkedYAMLException marked) {
            problem = marked.getProblem();
            Mark mark = marked.getProblemMark();
            if (mark != null) column = mark.getColumn() + 1;
        } else {
            problem = e.getOriginalMessage();
            if (e.getLocation() != null) column = e.getLocation().getColumnNr();
        }
        String what = problem == null ? e.getClass().getSimpleName() : problem.lines().findFirst().orElse("").strip();
        what = NAMED.matcher(QUOTED.matcher(what).replaceAll("(text)")).replaceAll("$1 (name)");
        return column > 0 ? what + " (column " + column + ")" : what;
    }

    /** "line L: what is wrong (column C)". */
    public static String describe(JsonProcessingException e) {
        int line = line(e);
        return (line > 0 ? "line " + line + ": " : "") + what(e);
    }
}
