package org.visutility.orchestrator.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorTextTest {
    @Test
    void aShortErrorIsKeptWholeLineByLine() {
        assertThat(ErrorText.lines("exit status 3; stderr (last lines):\nTraceback\nValueError: bad"))
                .containsExactly("exit status 3; stderr (last lines):", "Traceback", "ValueError: bad");
        assertThat(ErrorText.hasMoreLines("one line")).isFalse();
        assertThat(ErrorText.hasMoreLines("two\nlines")).isTrue();
        assertThat(ErrorText.lines(null)).isEmpty();
    }

    @Test
    void aLongErrorKeepsItsFirstLineAndItsLastLinesAndSaysHowManyAreLeftOut() {
        String error = IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
        List<String> lines = ErrorText.lines(error);
        assertThat(lines).hasSize(ErrorText.MAX_LINES);
        assertThat(lines.get(0)).isEqualTo("line 1");
        assertThat(lines.get(1)).isEqualTo("... 71 lines left out");
        assertThat(lines.get(2)).isEqualTo("line 73");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("line 100");
    }

    @Test
    void controlCharactersAndBidiOverridesAreEscapedAndALongLineIsCut() {
        assertThat(ErrorText.lines("red \u001b[31mtext\u0007 \u202eevil\u0085 tab\tend"))
                .containsExactly("red \\u001b[31mtext\\u0007 \\u202eevil\\u0085 tab    end");
        String line = ErrorText.lines("e".repeat(2000)).get(0);
        assertThat(line).hasSize(ErrorText.MAX_LINE_CHARS + 3).endsWith("...");
        assertThat(ErrorText.lines("e".repeat(ErrorText.MAX_LINE_CHARS)).get(0)).doesNotEndWith("...");
    }
}
