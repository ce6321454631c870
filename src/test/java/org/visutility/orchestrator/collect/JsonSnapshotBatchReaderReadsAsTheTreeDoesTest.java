package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming reading of an HTTP batch hands validation the same raw items as reading the body
 * as a tree, whatever the items hold; any other body is left to the tree reading (which words the error).
 */
class JsonSnapshotBatchReaderReadsAsTheTreeDoesTest {

    @Test
    void eachItemIsReadAsTheTreeReadsIt() throws Exception {
        String body = """
                {"snapshots": [
                  {"model":"churn","version":"v3","observed_at":"2026-01-05T10:00:00Z","sample_count":5000,"segment":"eu",
                   "source":"serving","metrics":{"accuracy":0.91,"latency_ms":12,"loss":NaN,"big":1e999,"huge":123456789012345678901234567890}},
                  {"model":42,"version":["v"],"observed_at":1764151200,"sample_count":12.5,"segment":null,"source":{"a":1},
                   "metrics":[0.9],"final":"true","observedAt":"x","extra":{"nested":[1,2]}},
                  {"model":"m","version":"v","observed_at":"2026-01-05T10:00:00Z","sample_count":-1,"metrics":{"a":"0.9","b":null,"c":true},
                   "final":false},
                  {"model":"m","version":"v","metrics":"none","final":true,"sample_count":9223372036854775808},
                  {"model":"m","metrics":null,"final":null,"sample_count":-Infinity},
                  {},
                  "a string", 7, null, [1], true
                ]}""";

        List<Object> streamed = JsonSnapshotBatchReader.read(body.getBytes(StandardCharsets.UTF_8));

        assertThat(streamed).isNotNull();
        assertThat(streamed).isEqualTo(treeRead(body));
        assertThat(streamed).hasSize(11);
        assertThat(streamed.get(6)).isInstanceOf(JsonNode.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{}", "{\"snapshots\": {}}", "{\"dry_run\": true, \"snapshots\": []}",
            "{\"snapshots\": [], \"dry_run\": true}", "{\"snapshots\": []} {}", "{\"snapshots\": [ {\"model\": }",
            "{\"snapshots\": [{\"model\":\"a\",\"model\":\"b\"}]}", "{\"snapshots\": [{\"metrics\":{\"a\":1,\"a\":2}}]}",
            "{\"snapshots\": [], \"snapshots\": []}", "\"snapshots\""})
    void anyOtherBodyIsLeftToTheTreeReading(String body) {
        assertThat(JsonSnapshotBatchReader.read(body.getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void anEmptyBatchIsReadAsNoItems() {
        assertThat(JsonSnapshotBatchReader.read("{\"snapshots\": []}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    /** What the route read before: the tree, each object item through JsonSnapshotReader, any other item as its node. */
    private static List<Object> treeRead(String body) throws Exception {
        List<Violation> violations = new ArrayList<>();
        JsonNode items = IngestRequests.items(body.getBytes(StandardCharsets.UTF_8), "snapshots", violations);
        assertThat(violations).isEmpty();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            out.add(item.isObject() ? JsonSnapshotReader.read(i, item, violations) : item);
        }
        return out;
    }
}
