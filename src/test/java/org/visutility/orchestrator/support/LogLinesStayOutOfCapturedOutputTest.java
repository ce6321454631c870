package org.visutility.orchestrator.support;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LogLinesStayOutOfCapturedOutputTest {

    @Test
    void aLogLineWrittenWhileStdoutIsSwappedForACaptureIsNotCaptured() {
        LoggerFactory.getLogger(LogLinesStayOutOfCapturedOutputTest.class).info("logging is started before the capture");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger("leftover-thread").warn("a line another test's thread logs now");
            System.out.println("{\"the\":\"command's output\"}");
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("{\"the\":\"command's output\"}" + System.lineSeparator());
    }
}
