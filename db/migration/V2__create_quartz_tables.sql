-- Quartz 2.5's own PostgreSQL tables (tables_postgres.sql from the quartz jar), in schema quartz.
-- The scheduler is configured with tablePrefix quartz.qrtz_ (see schedule/QuartzSchedulerFactory).
CREATE SCHEMA IF NOT EXISTS quartz;
COMMENT ON SCHEMA quartz IS 'Quartz scheduler tables (clustered JDBC job store).';

CREATE TABLE quartz.qrtz_job_details
(
  sched_name        varchar(120) not null,
  job_name          varchar(200) not null,
  job_group         varchar(200) not null,
  description       varchar(250) null,
  job_class_name    varchar(250) not null,
  is_durable        bool         not null,
  is_nonconcurrent  bool         not null,
  is_update_data    bool         not null,
  requests_recovery bool         not null,
  job_data          bytea        null,
  primary key (sched_name, job_name, job_group)
);

CREATE TABLE quartz.qrtz_triggers
(
  sched_name     varchar(120) not null,
  trigger_name   varchar(200) not null,
  trigger_group  varchar(200) not null,
  job_name       varchar(200) not null,
  job_group      varchar(200) not null,
  description    varchar(250) null,
  next_fire_time bigint       null,
  prev_fire_time bigint       null,
  priority       integer      null,
  trigger_state  varchar(16)  not null,
  trigger_type   varchar(8)   not null,
  start_time     bigint       not null,
  end_time       bigint       null,
  calendar_name  varchar(200) null,
  misfire_instr  smallint     null,
  job_data       bytea        null,
  primary key (sched_name, trigger_name, trigger_group),
  foreign key (sched_name, job_name, job_group)
  references quartz.qrtz_job_details (sched_name, job_name, job_group)
);

CREATE TABLE quartz.qrtz_simple_triggers
(
  sched_name      varchar(120) not null,
  trigger_name    varchar(200) not null,
  trigger_group   varchar(200) not null,
  repeat_count    bigint       not null,
  repeat_interval bigint       not null,
  times_triggered bigint       not null,
  primary key (sched_name, trigger_name, trigger_group),
  foreign key (sched_name, trigger_name, trigger_group)
  references quartz.qrtz_triggers (sched_name, trigger_name, trigger_group)
);

CREATE TABLE quartz.qrtz_cron_triggers
(
  sched_name      varchar(120) not null,
  trigger_name    varchar(200) not null,
  trigger_group   varchar(200) not null,
  cron_expression varchar(120) not null,
  time_zone_id    varchar(80),
  primary key (sched_name, trigger_name, trigger_group),
  foreign key (sched_name, trigger_name, trigger_group)
  references quartz.qrtz_triggers (sched_name, trigger_name, trigger_group)
);

CREATE TABLE quartz.qrtz_simprop_triggers
(
  sched_name    varchar(120)   not null,
  trigger_name  varchar(200)   not null,
  trigger_group varchar(200)   not null,
  str_prop_1    varchar(512)   null,
  str_prop_2    varchar(512)   null,
  str_prop_3    varchar(512)   null,
  int_prop_1    int            null,
  int_prop_2    int            null,
  long_prop_1   bigint         null,
  long_prop_2   bigint         null,
  dec_prop_1    numeric(13, 4) null,
  dec_prop_2    numeric(13, 4) null,
  bool_prop_1   bool           null,
  bool_prop_2   bool           null,
  primary key (sched_name, trigger_name, trigger_group),
  foreign key (sched_name, trigger_name, trigger_group)
  references quartz.qrtz_triggers (sched_name, trigger_name, trigger_group)
);

CREATE TABLE quartz.qrtz_blob_triggers
(
  sched_name    varchar(120) not null,
  trigger_name  varchar(200) not null,
  trigger_group varchar(200) not null,
  blob_data     bytea        null,
  primary key (sched_name, trigger_name, trigger_group),
  foreign key (sched_name, trigger_name, trigger_group)
  references quartz.qrtz_triggers (sched_name, trigger_name, trigger_group)
);

CREATE TABLE quartz.qrtz_calendars
(
  sched_name    varchar(120) not null,
  calendar_name varchar(200) not null,
  calendar      bytea        not null,
  primary key (sched_name, calendar_name)
);


CREATE TABLE quartz.qrtz_paused_trigger_grps
(
  sched_name    varchar(120) not null,
  trigger_group varchar(200) not null,
  primary key (sched_name, trigger_group)
);

CREATE TABLE quartz.qrtz_fired_triggers
(
  sched_name        varchar(120) not null,
  entry_id          varchar(95)  not null,
  trigger_name      varchar(200) not null,
  trigger_group     varchar(200) not null,
  instance_name     varchar(200) not null,
  fired_time        bigint       not null,
  sched_time        bigint       not null,
  priority          integer      not null,
  state             varchar(16)  not null,
  job_name          varchar(200) null,
  job_group         varchar(200) null,
  is_nonconcurrent  bool         null,
  requests_recovery bool         null,
  primary key (sched_name, entry_id)
);

CREATE TABLE quartz.qrtz_scheduler_state
(
  sched_name        varchar(120) not null,
  instance_name     varchar(200) not null,
  last_checkin_time bigint       not null,
  checkin_interval  bigint       not null,
  primary key (sched_name, instance_name)
);

CREATE TABLE quartz.qrtz_locks
(
  sched_name varchar(120) not null,
  lock_name  varchar(40)  not null,
  primary key (sched_name, lock_name)
);

CREATE INDEX idx_qrtz_j_req_recovery
  on quartz.qrtz_job_details (sched_name, requests_recovery);
CREATE INDEX idx_qrtz_j_grp
  on quartz.qrtz_job_details (sched_name, job_group);

CREATE INDEX idx_qrtz_t_j
  on quartz.qrtz_triggers (sched_name, job_name, job_group);
CREATE INDEX idx_qrtz_t_jg
  on quartz.qrtz_triggers (sched_name, job_group);
CREATE INDEX idx_qrtz_t_c
  on quartz.qrtz_triggers (sched_name, calendar_name);
CREATE INDEX idx_qrtz_t_g
  on quartz.qrtz_triggers (sched_name, trigger_group);
CREATE INDEX idx_qrtz_t_state
  on quartz.qrtz_triggers (sched_name, trigger_state);
CREATE INDEX idx_qrtz_t_n_state
  on quartz.qrtz_triggers (sched_name, trigger_name, trigger_group, trigger_state);
CREATE INDEX idx_qrtz_t_n_g_state
  on quartz.qrtz_triggers (sched_name, trigger_group, trigger_state);
CREATE INDEX idx_qrtz_t_next_fire_time
  on quartz.qrtz_triggers (sched_name, next_fire_time);
CREATE INDEX idx_qrtz_t_nft_st
  on quartz.qrtz_triggers (sched_name, trigger_state, next_fire_time);
CREATE INDEX idx_qrtz_t_nft_misfire
  on quartz.qrtz_triggers (sched_name, misfire_instr, next_fire_time);
CREATE INDEX idx_qrtz_t_nft_st_misfire
  on quartz.qrtz_triggers (sched_name, misfire_instr, next_fire_time, trigger_state);
CREATE INDEX idx_qrtz_t_nft_st_misfire_grp
  on quartz.qrtz_triggers (sched_name, misfire_instr, next_fire_time, trigger_group, trigger_state);

CREATE INDEX idx_qrtz_ft_trig_inst_name
  on quartz.qrtz_fired_triggers (sched_name, instance_name);
CREATE INDEX idx_qrtz_ft_inst_job_req_rcvry
  on quartz.qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
CREATE INDEX idx_qrtz_ft_j_g
  on quartz.qrtz_fired_triggers (sched_name, job_name, job_group);
CREATE INDEX idx_qrtz_ft_jg
  on quartz.qrtz_fired_triggers (sched_name, job_group);
CREATE INDEX idx_qrtz_ft_t_g
  on quartz.qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
CREATE INDEX idx_qrtz_ft_tg
  on quartz.qrtz_fired_triggers (sched_name, trigger_group);

COMMENT ON TABLE quartz.qrtz_job_details IS 'Quartz: every stored job (what to run).';
COMMENT ON COLUMN quartz.qrtz_job_details.sched_name IS 'The Quartz scheduler name (orchestrator); every node of one cluster shares it.';
COMMENT ON COLUMN quartz.qrtz_job_details.job_name IS 'The jobs name.';
COMMENT ON COLUMN quartz.qrtz_job_details.job_group IS 'The jobs group.';
COMMENT ON COLUMN quartz.qrtz_job_details.description IS 'Free text.';
COMMENT ON COLUMN quartz.qrtz_job_details.job_class_name IS 'The Java class run.';
COMMENT ON COLUMN quartz.qrtz_job_details.is_durable IS 'True when the job is kept without triggers.';
COMMENT ON COLUMN quartz.qrtz_job_details.is_nonconcurrent IS 'True when the job may not run twice at once (@DisallowConcurrentExecution).';
COMMENT ON COLUMN quartz.qrtz_job_details.is_update_data IS 'True when the jobs data map is saved back after each run.';
COMMENT ON COLUMN quartz.qrtz_job_details.requests_recovery IS 'True when the job is re-run by another node after its node crashed mid-run.';
COMMENT ON COLUMN quartz.qrtz_job_details.job_data IS 'The serialised JobDataMap.';
COMMENT ON TABLE quartz.qrtz_triggers IS 'Quartz: every trigger (when to run a job).';
COMMENT ON COLUMN quartz.qrtz_triggers.sched_name IS 'The Quartz scheduler name (orchestrator); every node of one cluster shares it.';
COMMENT ON COLUMN quartz.qrtz_triggers.trigger_name IS 'The triggers name.';
COMMENT ON COLUMN quartz.qrtz_triggers.trigger_group IS 'The triggers group.';
COMMENT ON COLUMN quartz.qrtz_triggers.job_name IS 'The jobs name.';
COMMENT ON COLUMN quartz.qrtz_triggers.job_group IS 'The jobs group.';
COMMENT ON COLUMN quartz.qrtz_triggers.description IS 'Free text.';
COMMENT ON COLUMN quartz.qrtz_triggers.next_fire_time IS 'Next fire time, epoch milliseconds.';
COMMENT ON COLUMN quartz.qrtz_triggers.prev_fire_time IS 'Previous fire time, epoch milliseconds.';
COMMENT ON COLUMN quartz.qrtz_triggers.priority IS 'Which trigger fires first when several are due at once (higher first).';
COMMENT ON COLUMN quartz.qrtz_triggers.trigger_state IS 'WAITING, ACQUIRED, EXECUTING, PAUSED, BLOCKED, ERROR or COMPLETE.';
COMMENT ON COLUMN quartz.qrtz_triggers.trigger_type IS 'SIMPLE, CRON, CAL_INT, DAILY_I or BLOB.';
COMMENT ON COLUMN quartz.qrtz_triggers.start_time IS 'First possible fire time, epoch milliseconds.';
COMMENT ON COLUMN quartz.qrtz_triggers.end_time IS 'Last possible fire time, epoch milliseconds.';
COMMENT ON COLUMN quartz.qrtz_triggers.calendar_name IS 'The calendar excluding times, if any.';
COMMENT ON COLUMN quartz.qrtz_triggers.misfire_instr IS 'The misfire instruction code.';
COMMENT ON COLUMN quartz.qrtz_triggers.job_data IS 'The serialised JobDataMap.';
COMMENT ON TABLE quartz.qrtz_simple_triggers IS 'Quartz: repeat settings of simple triggers.';
COMMENT ON COLUMN quartz.qrtz_simple_triggers.sched_name IS 'The Quartz scheduler name (orchestrator); every node of one cluster shares it.';
COMMENT ON COLUMN quartz.qrtz_simple_triggers.trigger_name IS 'The triggers name.';
COMMENT ON COLUMN quartz.qrtz_simple_triggers.trigger_group IS 'The triggers group.';
COMMENT ON COLUMN quartz.qrtz_simple_triggers.repeat_count IS 'How many repeats (-1 for ever).';
COMMENT ON COLUMN quartz.qrtz_simple_triggers.repeat_interval IS 'Milliseconds between repeats.';
COMMENT ON COLUMN quartz.qrtz_simple_triggers.times_triggered IS 'How many times it has fired.';
COMMENT ON TABLE quartz.qrtz_cron_triggers IS 'Quartz: cron expressions of cron triggers.';
COMMENT ON COLUMN quartz.qrtz_cron_triggers.sched_name IS 'The Quartz scheduler name (orchestrator); every node of one cluster shares it.';
COMMENT ON COLUMN quartz.qrtz_cron_triggers.trigger_name IS 'The triggers name.';
COMMENT ON COLUMN quartz.qrtz_cron_triggers.trigger_group IS 'The triggers group.';
COMMENT ON COLUMN quartz.qrtz_cron_triggers.cron_expression IS 'The Quartz cron expression.';
COMMENT ON COLUMN quartz.qrtz_cron_triggers.time_zone_id IS 'The time zone the expression is read in.';
COMMENT ON TABLE quartz.qrtz_simprop_triggers IS 'Quartz: properties of calendar-interval and daily-interval triggers.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.sched_name IS 'The Quartz scheduler name (orchestrator); every node of one cluster shares it.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.trigger_name IS 'The triggers name.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.trigger_group IS 'The triggers group.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.str_prop_1 IS 'String property 1.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.str_prop_2 IS 'String property 2.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.str_prop_3 IS 'String property 3.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.int_prop_1 IS 'Integer property 1.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.int_prop_2 IS 'Integer property 2.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.long_prop_1 IS 'Long property 1.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.long_prop_2 IS 'Long property 2.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.dec_prop_1 IS 'Decimal property 1.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.dec_prop_2 IS 'Decimal property 2.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.bool_prop_1 IS 'Boolean property 1.';
COMMENT ON COLUMN quartz.qrtz_simprop_triggers.bool_prop_2 IS 'Boolean property 2.';
COMMENT ON TABLE quartz.qrtz_blob_triggers IS 'Quartz: triggers of custom types, serialised.';
COMMENT ON COLUMN quartz.qrtz_blob_triggers.sched_name IS 'The Quartz scheduler name (orchestrator); every node of one cluster shares it.';
COMMENT ON COLUMN quartz.qrtz_blob_triggers.trigger_name IS 'The triggers name.';
COMMENT ON COLUMN quartz.qrtz_blob_triggers.trigger_group IS 'The triggers group.';
COMMENT ON COLUMN quartz.qrtz_blob_triggers.blob_data IS 'The serialised trigger.';
COMMENT ON TABLE quartz.qrtz_calendars IS 'Quartz: calendars that exclude times from triggers.';
COMMENT ON COLUMN quartz.qrtz_calendars.sched_name IS 'The Quartz scheduler name (orchestrator); every node of one cluster shares it.';
COMMENT ON COLUMN quartz.qrtz_calendars.calendar_name IS 'The calendars name.';
COMMENT ON COLUMN quartz.qrtz_calendars.calendar IS 'The serialised calendar.';
COMMENT ON TABLE quartz.qrtz_paused_trigger_grps IS 'Quartz: trigger groups that are paused.';
COMMENT ON COLUMN quartz.qrtz_paused_trigger_grps.sched_name IS 'The Quartz scheduler name (orchestrator); every node of one cluster shares it.';
COMMENT ON COLUMN quartz.qrtz_paused_trigger_grps.trigger_group IS 'The triggers group.';
COMMENT ON TABLE quartz.qrtz_fired_triggers IS 'Quartz: triggers fired and jobs running now, per node; what another node recovers when this one dies.';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.sched_name IS 'The Quartz scheduler name (orchestrator); every node of one cluster shares it.';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.entry_id IS 'Id of this firing.';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.trigger_name IS 'The triggers name.';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.trigger_group IS 'The triggers group.';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.instance_name IS 'The scheduler instance (node) id.';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.fired_time IS 'When it fired, epoch milliseconds.';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.sched_time IS 'When it was scheduled to fire, epoch milliseconds.';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.priority IS 'Which trigger fires first when several are due at once (higher first).';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.state IS 'ACQUIRED, EXECUTING, BLOCKED or PAUSED_BLOCKED.';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.job_name IS 'The jobs name.';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.job_group IS 'The jobs group.';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.is_nonconcurrent IS 'True when the job may not run twice at once (@DisallowConcurrentExecution).';
COMMENT ON COLUMN quartz.qrtz_fired_triggers.requests_recovery IS 'True when the job is re-run by another node after its node crashed mid-run.';
COMMENT ON TABLE quartz.qrtz_scheduler_state IS 'Quartz: every node of the cluster and its last check-in; a node whose check-in is stale is presumed dead and its jobs recovered.';
COMMENT ON COLUMN quartz.qrtz_scheduler_state.sched_name IS 'The Quartz scheduler name (orchestrator); every node of one cluster shares it.';
COMMENT ON COLUMN quartz.qrtz_scheduler_state.instance_name IS 'The scheduler instance (node) id.';
COMMENT ON COLUMN quartz.qrtz_scheduler_state.last_checkin_time IS 'The nodes last check-in, epoch milliseconds.';
COMMENT ON COLUMN quartz.qrtz_scheduler_state.checkin_interval IS 'How often the node checks in, milliseconds.';
COMMENT ON TABLE quartz.qrtz_locks IS 'Quartz: the row locks nodes take (SELECT ... FOR UPDATE) to coordinate.';
COMMENT ON COLUMN quartz.qrtz_locks.sched_name IS 'The Quartz scheduler name (orchestrator); every node of one cluster shares it.';
COMMENT ON COLUMN quartz.qrtz_locks.lock_name IS 'TRIGGER_ACCESS or STATE_ACCESS.';
