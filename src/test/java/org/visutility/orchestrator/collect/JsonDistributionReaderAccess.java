package org.visutility.orchestrator.collect;

import org.visutility.orchestrator.core.Json;

import java.util.ArrayList;
import java.util.List;

/** For tests in other packages: a distribution from its JSON line, validated by the ingest's rules (it must be valid). */
public final class JsonDistributionReaderAccess {
    private JsonDistributionReaderAccess() {
    }

    public static Distribution valid(DistributionIngest ingest, int position, String json) {
        List<Violation> out = new ArrayList<>();
        try {
            Distribution d = ingest.validator().validate(position, JsonDistributionReader.read(position, Json.MAPPER.readTree(json), out), out);
            if (d == null) throw new IllegalArgumentException(out.toString());
            return d;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
