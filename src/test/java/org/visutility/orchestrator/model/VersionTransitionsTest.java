package org.visutility.orchestrator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lifecycle's rules in the database and in the one class that writes statuses. */
@ExtendWith(PostgresExtension.class)
class VersionTransitionsTest {

    @Test
    void theDatabaseRefusesASecondActiveVersionOfAModel(TestDatabase db) {
        Lifecycles.version(db.jdbi(), "two-active", "v1", "active");
        Lifecycles.version(db.jdbi(), "two-active", "v2", "candidate");

        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("""
                UPDATE orchestrator.model_version SET status = 'active'
                 WHERE version = 'v2' AND model_id = (SELECT id FROM orchestrator.model WHERE name = 'two-active')""")))
                .hasMessageContaining("model_version_one_active");
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO orchestrator.model_version (model_id, version, status)
                SELECT id, 'v3', 'active' FROM orchestrator.model WHERE name = 'two-active'""")))
                .hasMessageContaining("model_version_one_active");
        assertThat(Lifecycles.statuses(db.jdbi(), "two-active")).containsEntry("v1", "active").containsEntry("v2", "candidate");
    }

    @Test
    void theDatabaseRefusesAnEventOutsideTheLifecycleGraph(TestDatabase db) {
        long v = Lifecycles.version(db.jdbi(), "graph", "v1", "candidate");
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO orchestrator.model_version_event (model_version_id, from_status, to_status, actor, reason)
                VALUES (:v, 'candidate', 'active', 'gate', 'skips the approval')""").bind("v", v).execute()))
                .hasMessageContaining("model_version_event_transition");
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO orchestrator.model_version_event (model_version_id, from_status, to_status, actor, reason)
                VALUES (:v, 'candidate', 'approved', 'somebody', 'an unknown actor')""").bind("v", v).execute()))
                .hasMessageContaining("actor_check");
    }

    @Test
    void theLifecycleGraphIsTheSameInJavaAndInTheDatabase(TestDatabase db) {
        long v = Lifecycles.version(db.jdbi(), "graph-both", "v1", "candidate");
        for (VersionStatus from : VersionStatus.values()) {
            for (VersionStatus to : VersionStatus.values()) {
                boolean accepted = db.jdbi().withHandle(h -> {
                    h.begin();
                    try {
                        h.createUpdate("""
                                INSERT INTO orchestrator.model_version_event (model_version_id, from_status, to_status, actor, reason)
                                VALUES (:v, :from, :to, 'gate', 'graph check')""")
                                .bind("v", v).bind("from", from.sql()).bind("to", to.sql()).execute();
                        return true;
                    } catch (RuntimeException e) {
                        assertThat(e).hasMessageContaining("model_version_event_transition");
                        return false;
                    } finally {
                        h.rollback();
                    }
                });
                assertThat(accepted).as("%s -> %s", from, to).isEqualTo(from.canBecome(to));
            }
        }
    }

    @Test
    void aFailureAfterTheEventRollsTheEventAndTheStatusBack(TestDatabase db) {
        Lifecycles.version(db.jdbi(), "atomic", "v1", "active");
        long v2 = Lifecycles.version(db.jdbi(), "atomic", "v2", "candidate");
        // fails v2's status write only once its event is there: the failure comes after the event
        db.jdbi().useHandle(h -> h.execute("""
                CREATE FUNCTION orchestrator.test_fail_after_event() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.version = 'v2' AND EXISTS (SELECT 1 FROM orchestrator.model_version_event e
                                                       WHERE e.model_version_id = NEW.id AND e.to_status = NEW.status) THEN
                        RAISE EXCEPTION 'injected failure after the event of %', NEW.status;
                    END IF;
                    RETURN NEW;
                END $$"""));
        db.jdbi().useHandle(h -> h.execute("""
                CREATE TRIGGER test_fail_after_event BEFORE UPDATE OF status ON orchestrator.model_version
                   FOR EACH ROW EXECUTE FUNCTION orchestrator.test_fail_after_event()"""));
        Lifecycles.Recorded before = Lifecycles.Recorded.of(db.jdbi());
        assertThatThrownBy(() -> db.jdbi().useTransaction(h ->
                VersionTransitions.approveAndActivate(h, v2, Actor.GATE, "scored better", null)))
                .hasMessageContaining("injected failure after the event of approved");

        assertThat(Lifecycles.Recorded.of(db.jdbi())).isEqualTo(before);
        assertThat(Lifecycles.events(db.jdbi(), "atomic", "v2")).containsExactly("(new) -> candidate by serving");
        assertThat(Lifecycles.statuses(db.jdbi(), "atomic")).containsEntry("v1", "active").containsEntry("v2", "candidate");
        db.jdbi().useHandle(h -> h.execute("DROP TRIGGER test_fail_after_event ON orchestrator.model_version"));
    }

    @Test
    void statusesChangeOnlyInsideATransaction(TestDatabase db) {
        long v = Lifecycles.version(db.jdbi(), "autocommit", "v1", "candidate");
        Lifecycles.Recorded before = Lifecycles.Recorded.of(db.jdbi());

        assertThatThrownBy(() -> db.jdbi().useHandle(h ->
                VersionTransitions.change(h, v, VersionStatus.APPROVED, Actor.GATE, "scored better", null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a transaction");
        assertThat(Lifecycles.Recorded.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void activateAutoApprovesTheCandidateThenActivatesItAndRetiresTheActiveVersion(TestDatabase db) {
        Lifecycles.version(db.jdbi(), "auto", "v1", "active");
        long v2 = Lifecycles.version(db.jdbi(), "auto", "v2", "candidate");
        ObjectNode evidence = Json.MAPPER.createObjectNode().put("candidate_score", 0.93).put("active_score", 0.88);

        List<Change> changes = db.jdbi().inTransaction(h ->
                VersionTransitions.approveAndActivate(h, v2, Actor.GATE, "accuracy 0.93 beats 0.88 by more than 0.01", evidence));

        assertThat(changes).extracting(c -> c.version() + " " + c.arrow())
                .containsExactly("v2 candidate -> approved", "v1 active -> retired", "v2 approved -> active");
        assertThat(changes.get(2).evidence().path("retired").asText()).isEqualTo("v1");
        assertThat(changes.get(2).evidence().path("candidate_score").asDouble()).isEqualTo(0.93);
        assertThat(changes.get(1).reason()).isEqualTo("replaced by v2: accuracy 0.93 beats 0.88 by more than 0.01");
        assertThat(Lifecycles.statuses(db.jdbi(), "auto")).containsEntry("v1", "retired").containsEntry("v2", "active");
        assertThat(Lifecycles.events(db.jdbi(), "auto", "v2"))
                .containsExactly("(new) -> candidate by serving", "candidate -> approved by gate", "approved -> active by gate");
        assertThat(Lifecycles.brokenChains(db.jdbi(), "auto")).isEmpty();
    }

    @Test
    void activateAutoRefusesARejectedOrRetiredVersionAndWritesNothing(TestDatabase db) {
        long rejected = Lifecycles.version(db.jdbi(), "auto-refused", "v1", "candidate");
        long retired = Lifecycles.version(db.jdbi(), "auto-refused", "v0", "retired");
        db.jdbi().useTransaction(h -> VersionTransitions.change(h, rejected, VersionStatus.REJECTED, Actor.GATE, "worse", null));
        Lifecycles.Recorded before = Lifecycles.Recorded.of(db.jdbi());

        for (long v : new long[] {rejected, retired}) {
            assertThatThrownBy(() -> db.jdbi().useTransaction(h -> VersionTransitions.approveAndActivate(h, v, Actor.GATE, "auto", null)))
                    .isInstanceOf(TransitionRefused.class).hasMessageContaining("only a candidate or an approved version");
        }
        assertThat(Lifecycles.Recorded.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void aChangeOutsideTheGraphIsRefusedNamingWhatIsAllowed(TestDatabase db) {
        long v = Lifecycles.version(db.jdbi(), "steps", "v1", "candidate");
        Lifecycles.Recorded before = Lifecycles.Recorded.of(db.jdbi());

        assertThatThrownBy(() -> db.jdbi().useTransaction(h -> VersionTransitions.change(h, v, VersionStatus.ACTIVE, Actor.SERVING, "skip", null)))
                .isInstanceOf(TransitionRefused.class)
                .hasMessage("version v1 of steps is candidate: it cannot become active (a candidate version can become approved or rejected)");
        assertThatThrownBy(() -> db.jdbi().useTransaction(h -> VersionTransitions.change(h, v, VersionStatus.APPROVED, Actor.GATE, "a\u0007b", null)))
                .hasMessageContaining("reason must not contain control characters");
        assertThat(Lifecycles.Recorded.of(db.jdbi())).isEqualTo(before);
    }
}
