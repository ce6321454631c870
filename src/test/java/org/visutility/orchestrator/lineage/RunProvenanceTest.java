package org.visutility.orchestrator.lineage;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.InvalidSpecException;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an experiment and its trials ran with, recorded by the engine and shown by the lineage views. */
@ExtendWith(PostgresExtension.class)
class RunProvenanceTest {
    @TempDir
    Path home;

    private static Map<String, Object> lineage(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT strategy, strategy_seed, strategy_version, trainer_type, trainer_version, trainer_command::text AS trainer_command,
                       trainer_algorithm, dataset_location, dataset_bytes, dataset_sha256, orchestrator_version, prepared_at,
                       spec_sha256, spec ->> 'model' AS spec_model
                  FROM lineage.experiment_lineage WHERE experiment_id = :id""").bind("id", id).mapToMap().one());
    }

    @Test
    void aCommandTrainersRunRecordsItsCommandItsDatasetsFingerprintAndTheVersions(TestDatabase db) throws Exception {
        byte[] data = "x,y\n0.1,1\n0.4,0\n".getBytes();
        Files.write(home.resolve("train.csv"), data);
        // the trainer scores by the size of the file ORCH_DATASET names: it proves the program was told where the data is
        Files.writeString(home.resolve("train.sh"), "echo \"{\\\"loss\\\": $(wc -c < \"$ORCH_DATASET\")}\"\n");
        String yaml = Experiments.spec("{type: command, command: [sh, train.sh], workdir: " + home + ", dataset: train.csv}");
        long id = Experiments.queue(db, yaml);
        Experiments.runner(db, home).run(id, false);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        Map<String, Object> row = lineage(db, id);
        assertThat(row).containsEntry("strategy", "random").containsEntry("strategy_seed", 5L)
                .containsEntry("strategy_version", Version.current())
                .containsEntry("trainer_type", "command").containsEntry("trainer_version", Version.current())
                .containsEntry("trainer_command", "[\"sh\", \"train.sh\"]").containsEntry("trainer_algorithm", null)
                .containsEntry("dataset_location", home.resolve("train.csv").toAbsolutePath().toString())
                .containsEntry("dataset_bytes", (long) data.length)
                .containsEntry("dataset_sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)))
                .containsEntry("orchestrator_version", Version.current())
                .containsEntry("spec_sha256", ExperimentSpec.parseYaml(yaml, "test").sha256())
                .containsEntry("spec_model", "churn");
        assertThat(row.get("prepared_at")).isNotNull();
        assertThat(Version.current()).isNotEqualTo("dev");

        List<Map<String, Object>> trials = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT score, orchestrator_version, spec_sha256, strategy_seed, dataset_sha256
                  FROM lineage.trial_history WHERE experiment_id = :id ORDER BY trial_number""").bind("id", id).mapToMap().list());
        assertThat(trials).hasSize(4).allSatisfy(t -> assertThat(t)
                .containsEntry("score", (double) data.length)
                .containsEntry("orchestrator_version", Version.current())
                .containsEntry("spec_sha256", row.get("spec_sha256"))
                .containsEntry("strategy_seed", 5L)
                .containsEntry("dataset_sha256", row.get("dataset_sha256")));
    }

    @Test
    void aBuiltInTrainerRecordsItsAlgorithmAndNoDataset(TestDatabase db) {
        long id = Experiments.queue(db, Experiments.spec("{type: function, function: sphere}"));
        Experiments.runner(db, home).run(id, false);
        assertThat(lineage(db, id)).containsEntry("trainer_type", "function").containsEntry("trainer_algorithm", "sphere")
                .containsEntry("trainer_command", null).containsEntry("dataset_location", null)
                .containsEntry("dataset_bytes", null).containsEntry("strategy_seed", 5L);
    }

    @Test
    void aDatasetNamedByUriIsRecordedWhereItIsWithoutSizeOrHash(TestDatabase db) throws Exception {
        Files.writeString(home.resolve("where.sh"), "test \"$ORCH_DATASET\" = s3://models/churn/train.parquet && echo '{\"loss\": 1}'\n");
        long id = Experiments.queue(db, Experiments.spec("{type: command, command: [sh, where.sh], workdir: " + home
                + ", dataset: 's3://models/churn/train.parquet'}"));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        assertThat(lineage(db, id)).containsEntry("dataset_location", "s3://models/churn/train.parquet")
                .containsEntry("dataset_bytes", null).containsEntry("dataset_sha256", null);
    }

    @Test
    void aMissingDatasetFileIsRecordedByPathOnly(TestDatabase db) throws Exception {
        Files.writeString(home.resolve("ok.sh"), "echo '{\"loss\": 1}'\n");
        long id = Experiments.queue(db, Experiments.spec("{type: command, command: [sh, ok.sh], workdir: " + home + ", dataset: absent.csv}"));
        Experiments.runner(db, home).run(id, false);
        assertThat(lineage(db, id)).containsEntry("dataset_location", home.resolve("absent.csv").toString())
                .containsEntry("dataset_bytes", null).containsEntry("dataset_sha256", null);
    }

    @Test
    void aRelativeDatasetNeedsAWorkdirAndADatasetMustBeText() {
        assertThatThrownBy(() -> ExperimentSpec.parseYaml(Experiments.spec("{type: command, command: [sh, t.sh], dataset: train.csv}"), "spec"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .contains("trainer.dataset: must be an absolute path or a URI when trainer.workdir is not set"));
        assertThatThrownBy(() -> ExperimentSpec.parseYaml(Experiments.spec("{type: command, command: [sh, t.sh], dataset: [a, b]}"), "spec"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .anySatisfy(v -> assertThat(v).startsWith("trainer.dataset:")));
    }
}
