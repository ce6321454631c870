-- Benchmark only, on its scratch database: moves the experiment :id, one of :first_id to :last_id
-- (just run, all within the last minutes), back in time, the experiments spread evenly over the
-- hours :from_hour to :from_hour + :span_hours before their real times (the highest id least far
-- back), as a fleet that ran them over that stretch of the snapshot history would have. Every recorded time of the run
-- moves by its shift: the experiment's, its trials' and attempts' (the compute_month trigger moves
-- their sums to the month they now fall in), its run events and interventions, its version's
-- registration, status changes and gate verdict. Returns how many experiments moved.
WITH shift AS (
    SELECT e.id, make_interval(secs => (:from_hour + (:last_id - e.id + 0.5) * :span_hours / (:last_id - :first_id + 1)) * 3600.0) AS back
      FROM orchestrator.experiment e
     WHERE e.id = :id AND e.id BETWEEN :first_id AND :last_id
), experiments AS (
    UPDATE orchestrator.experiment e
       SET queued_at = e.queued_at - s.back, dispatched_at = e.dispatched_at - s.back, prepared_at = e.prepared_at - s.back,
           started_at = e.started_at - s.back, finished_at = e.finished_at - s.back, heartbeat_at = e.heartbeat_at - s.back
      FROM shift s WHERE s.id = e.id
    RETURNING e.id
), trials AS (
    UPDATE orchestrator.trial t SET started_at = t.started_at - s.back, finished_at = t.finished_at - s.back
      FROM shift s WHERE s.id = t.experiment_id
    RETURNING t.id
), attempts AS (
    UPDATE orchestrator.trial_attempt a SET started_at = a.started_at - s.back, ended_at = a.ended_at - s.back
      FROM shift s WHERE s.id = a.experiment_id
    RETURNING a.id
), run_events AS (
    UPDATE orchestrator.experiment_run_event r SET at = r.at - s.back
      FROM shift s WHERE s.id = r.experiment_id
    RETURNING r.id
), interventions AS (
    UPDATE orchestrator.experiment_intervention i SET at = i.at - s.back, last_heartbeat_at = i.last_heartbeat_at - s.back
      FROM shift s WHERE s.id = i.experiment_id
    RETURNING i.id
), versions AS (
    UPDATE orchestrator.model_version v SET created_at = v.created_at - s.back
      FROM shift s WHERE s.id = v.experiment_id
    RETURNING v.id
), version_events AS (
    UPDATE orchestrator.model_version_event x SET at = x.at - s.back
      FROM orchestrator.model_version v JOIN shift s ON s.id = v.experiment_id
     WHERE x.model_version_id = v.id
    RETURNING x.id
), gates AS (
    UPDATE orchestrator.gate_result g SET decided_at = g.decided_at - s.back
      FROM shift s WHERE s.id = g.experiment_id
    RETURNING g.experiment_id
)
SELECT (SELECT count(*) FROM experiments)
       + 0 * ((SELECT count(*) FROM trials) + (SELECT count(*) FROM attempts) + (SELECT count(*) FROM run_events)
              + (SELECT count(*) FROM interventions) + (SELECT count(*) FROM versions) + (SELECT count(*) FROM version_events)
              + (SELECT count(*) FROM gates))
