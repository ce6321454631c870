package org.visutility.orchestrator.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code bench lineage} judges a question's cost on the full history against the smaller one. */
class LineageQuestionRatioTest {

    private static LineageBenchmark.QueryResult question(double fullMs, int fullRows, double smallerMs, int smallerRows) {
        return new LineageBenchmark.QueryResult("q", new ReaderQueryTimer.Timing(fullMs, fullMs, fullMs, fullRows),
                new ReaderQueryTimer.Timing(smallerMs, smallerMs, smallerMs, smallerRows));
    }

    @Test
    void twiceAsSlowForTheSameAnswerMissesTheGoal() {
        LineageBenchmark.QueryResult q = question(4.0, 100, 2.0, 100);
        assertEquals(2.0, q.ratio(), 1e-9);
        assertFalse(q.answerGrew());
        assertFalse(q.ratioMet());
    }

    @Test
    void aLongerWindowsLargerAnswerIsJudgedPerRowAnswered() {
        // question 22 at size 1: three months of rows against the smaller history's three weeks
        LineageBenchmark.QueryResult q = question(2.66, 660, 1.32, 250);
        assertTrue(q.answerGrew());
        assertEquals(2.66 / 1.32 * 250 / 660, q.perRowRatio(), 1e-9);
        assertTrue(q.ratioMet());
    }

    @Test
    void aLargerAnswerThatCostsMorePerRowStillMisses() {
        LineageBenchmark.QueryResult q = question(20.0, 400, 2.0, 100);
        assertTrue(q.answerGrew());
        assertEquals(2.5, q.perRowRatio(), 1e-9);
        assertFalse(q.ratioMet());
    }

    @Test
    void aSlightlyLargerAnswerGetsNoAllowance() {
        LineageBenchmark.QueryResult q = question(3.0, 140, 1.5, 100);
        assertFalse(q.answerGrew());
        assertFalse(q.ratioMet());
    }

    @Test
    void mediansUnderAMillisecondCountAsOne() {
        assertTrue(question(0.9, 10, 0.2, 10).ratioMet());
    }
}
