package org.visutility.orchestrator.lineage.openlineage;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.tuning.trainer.DatasetSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Builds the OpenLineage run event of an experiment. The job is the tuning of one model
 * ({@code <model>.tuning} in the configured namespace); each experiment is a run of it, with a run
 * id derived from the namespace, the experiment's id and its queue time, so that every node
 * names the same run alike. The input is the dataset the trainer read, the output the model
 * (versioned by the model version the experiment registered). Custom facets carry the experiment
 * ({@value #EXPERIMENT_FACET}: trigger, spec hash, strategy, trainer, versions, trial counts), the
 * chosen hyperparameters ({@value #HYPERPARAMETERS_FACET}, on COMPLETE), the model
 * ({@value #MODEL_FACET}) and the dataset's fingerprint ({@value #DATASET_FACET}).
 */
final class RunEvents {
    static final String EXPERIMENT_FACET = "visutility_experiment";
    static final String HYPERPARAMETERS_FACET = "visutility_hyperparameters";
    static final String MODEL_FACET = "visutility_model";
    static final String DATASET_FACET = "visutility_dataset";
    static final String ENGINE = "visutility-orchestrator";
    /** OpenLineage's naming convention for local files. */
    private static final String FILE_NAMESPACE = "file";
    private static final String CLASSPATH_NAMESPACE = "classpath";

    /** A dataset's place in OpenLineage's naming scheme. */
    record DatasetName(String namespace, String name) {
    }

    private final URI producer = URI.create("urn:" + ENGINE + ":" + Version.current());
    private final OpenLineage ol = new OpenLineage(producer);
    private final String namespace;

    RunEvents(String namespace) {
        this.namespace = namespace;
    }

    static UUID runId(String namespace, long experimentId, Instant queuedAt) {
        String name = namespace + "/experiment/" + experimentId + "/" + queuedAt.toEpochMilli();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    OpenLineage.RunEvent build(EventType type, ExperimentFacts facts) {
        boolean complete = type == EventType.COMPLETE;
        Instant at = type == EventType.START ? facts.preparedAt().orElse(Instant.now()) : facts.finishedAt().orElse(Instant.now());

        OpenLineage.RunFacetsBuilder runFacets = ol.newRunFacetsBuilder()
                .processing_engine(ol.newProcessingEngineRunFacetBuilder().name(ENGINE).version(Version.current()).build())
                .put(EXPERIMENT_FACET, runFacet(facts.experiment()));
        if (complete) facts.hyperparameters().ifPresent(h -> runFacets.put(HYPERPARAMETERS_FACET, runFacet(h)));
        if (type == EventType.FAIL || type == EventType.ABORT) {
            runFacets.errorMessage(ol.newErrorMessageRunFacetBuilder().programmingLanguage("java")
                    .message(facts.error().orElse("the experiment ended " + facts.status())).build());
        }
        return ol.newRunEventBuilder()
                .eventType(type)
                .eventTime(ZonedDateTime.ofInstant(at, ZoneOffset.UTC))
                .run(ol.newRunBuilder().runId(runId(namespace, facts.experimentId(), facts.queuedAt())).facets(runFacets.build()).build())
                .job(ol.newJobBuilder().namespace(namespace).name(facts.model() + ".tuning")
                        .facets(ol.newJobFacetsBuilder().jobType(ol.newJobTypeJobFacetBuilder()
                                .processingType("BATCH").integration("VISUTILITY_ORCHESTRATOR").jobType("EXPERIMENT").build()).build())
                        .build())
                .inputs(facts.dataset().map(d -> List.of(input(d))).orElse(List.of()))
                .outputs(List.of(model(facts, complete)))
                .build();
    }

    private OpenLineage.InputDataset input(ExperimentFacts.Dataset d) {
        OpenLineage.DatasetFacetsBuilder facets = ol.newDatasetFacetsBuilder();
        d.sha256().ifPresent(sha -> facets.version(ol.newDatasetVersionDatasetFacetBuilder().datasetVersion(sha).build()));
        OpenLineage.DefaultDatasetFacet fingerprint = new OpenLineage.DefaultDatasetFacet(producer, null);
        fingerprint.getAdditionalProperties().put("location", d.location());
        d.bytes().ifPresent(b -> fingerprint.getAdditionalProperties().put("bytes", b));
        d.sha256().ifPresent(sha -> fingerprint.getAdditionalProperties().put("sha256", sha));
        facets.put(DATASET_FACET, fingerprint);
        DatasetName name = datasetName(d.location());
        return ol.newInputDatasetBuilder().namespace(name.namespace()).name(name.name()).facets(facets.build()).build();
    }

    private OpenLineage.OutputDataset model(ExperimentFacts facts, boolean complete) {
        OpenLineage.DatasetFacetsBuilder facets = ol.newDatasetFacetsBuilder();
        OpenLineage.DefaultDatasetFacet model = new OpenLineage.DefaultDatasetFacet(producer, null);
        model.getAdditionalProperties().put("model", facts.model());
        if (complete) {
            facts.produced().ifPresent(v -> {
                facets.version(ol.newDatasetVersionDatasetFacetBuilder().datasetVersion(v.version()).build());
                model.getAdditionalProperties().put("version", v.version());
                model.getAdditionalProperties().put("status", v.status());
                v.artifactUri().ifPresent(uri -> model.getAdditionalProperties().put("artifactUri", uri));
            });
        }
        facets.put(MODEL_FACET, model);
        return ol.newOutputDatasetBuilder().namespace(namespace).name("models/" + facts.model()).facets(facets.build()).build();
    }

    /** A custom run facet whose fields are those of {@code fields}, a JSON object built by ExperimentFacts.sql. */
    private OpenLineage.DefaultRunFacet runFacet(JsonNode fields) {
        OpenLineage.DefaultRunFacet facet = new OpenLineage.DefaultRunFacet(producer);
        fields.fields().forEachRemaining(f -> facet.getAdditionalProperties().put(f.getKey(), f.getValue()));
        return facet;
    }

    /**
     * A dataset's OpenLineage namespace and name, after the naming conventions: a local path is
     * {@code file} + the path, {@code s3://bucket/key} is {@code s3://bucket} + {@code key}, a
     * class-path resource is {@code classpath} + the resource name.
     */
    static DatasetName datasetName(String location) {
        if (location.startsWith(DatasetSource.CLASSPATH)) {
            return new DatasetName(CLASSPATH_NAMESPACE, location.substring(DatasetSource.CLASSPATH.length()));
        }
        if (DatasetSource.URI_TEXT.matcher(location).matches()) {
            URI uri = URI.create(location);
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
            return new DatasetName(uri.getScheme() + "://" + uri.getRawAuthority(), path);
        }
        return new DatasetName(FILE_NAMESPACE, location);
    }
}
