package org.visutility.orchestrator.experiment.batch;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.repository.dao.DefaultExecutionContextSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The execution contexts (the trials step's checkpoint among them) are stored as short text lines;
 * a checkpoint in Spring Batch's own format, written by an earlier build, must still restart a run.
 */
class CompactCheckpointFormatTest {
    private final DefaultExecutionContextSerializer springBatchFormat = new DefaultExecutionContextSerializer();
    private final CompactContextSerializer serializer = new CompactContextSerializer(springBatchFormat);

    @Test
    void aCheckpointReadsBackWithEveryValueAndItsType() throws IOException {
        Map<String, Object> checkpoint = new HashMap<>();
        checkpoint.put(TrialsTasklet.NEXT, 1000);
        checkpoint.put(TrialsTasklet.BEST_SCORE, 0.1 + 0.2);
        checkpoint.put(TrialsTasklet.ROUND_STARTED_AT, 1_764_000_000_123L);
        checkpoint.put(TrialsTasklet.RETRY, "3,7");
        checkpoint.put("odd\\key\nwith lines", "a=b\\c\r\nd");
        checkpoint.put("flag", true);
        checkpoint.put("not a number", Double.NaN);
        checkpoint.put("empty", "");

        String stored = write(checkpoint);

        assertThat(stored).startsWith(CompactContextSerializer.HEADER).doesNotContain("rO0AB");
        Map<String, Object> read = read(stored);
        assertThat(read).isEqualTo(checkpoint);
        assertThat(read.get(TrialsTasklet.NEXT)).isInstanceOf(Integer.class);
        assertThat(read.get(TrialsTasklet.ROUND_STARTED_AT)).isInstanceOf(Long.class);
        assertThat(read.get(TrialsTasklet.BEST_SCORE)).isEqualTo(0.30000000000000004);
    }

    @Test
    void aCheckpointWrittenInSpringBatchsFormatIsStillRead() throws IOException {
        Map<String, Object> old = new HashMap<>(Map.of(TrialsTasklet.NEXT, 42, TrialsTasklet.BEST_SCORE, 0.5,
                "batch.stepType", "org.springframework.batch.core.step.tasklet.TaskletStep"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        springBatchFormat.serialize(old, out);

        assertThat(read(out.toString(StandardCharsets.UTF_8))).isEqualTo(old);
    }

    @Test
    void aContextWithOtherValuesIsStoredInSpringBatchsFormat() throws IOException {
        Map<String, Object> context = new HashMap<>(Map.of("day", LocalDate.of(2026, 12, 3), "count", 3));

        String stored = write(context);

        assertThat(stored).doesNotStartWith(CompactContextSerializer.HEADER);
        assertThat(springBatchFormat.deserialize(new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)))).isEqualTo(context);
        assertThat(read(stored)).isEqualTo(context);
    }

    private String write(Map<String, Object> context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.serialize(context, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private Map<String, Object> read(String stored) throws IOException {
        return serializer.deserialize(new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)));
    }
}
