-- Spring Batch 6's own PostgreSQL tables (schema-postgresql.sql from spring-batch-core), in schema batch.
-- The job repository is configured with tablePrefix batch.BATCH_.
CREATE SCHEMA IF NOT EXISTS batch;
COMMENT ON SCHEMA batch IS 'Spring Batch job repository: job and step executions and their checkpoints.';

CREATE TABLE batch.batch_job_instance (
	job_instance_id bigint  not null primary key,
	version bigint,
	job_name varchar(100) not null,
	job_key varchar(32) not null,
	constraint job_inst_un unique (job_name, job_key)
) ;

CREATE TABLE batch.batch_job_execution (
	job_execution_id bigint  not null primary key,
	version bigint,
	job_instance_id bigint not null,
	create_time timestamp not null,
	start_time timestamp default null,
	end_time timestamp default null,
	status varchar(10),
	exit_code varchar(2500),
	exit_message varchar(2500),
	last_updated timestamp,
	constraint job_inst_exec_fk foreign key (job_instance_id)
	references batch.batch_job_instance(job_instance_id)
) ;

CREATE TABLE batch.batch_job_execution_params (
	job_execution_id bigint not null,
	parameter_name varchar(100) not null,
	parameter_type varchar(100) not null,
	parameter_value varchar(2500),
	identifying char(1) not null,
	constraint job_exec_params_fk foreign key (job_execution_id)
	references batch.batch_job_execution(job_execution_id)
) ;

CREATE TABLE batch.batch_step_execution (
	step_execution_id bigint  not null primary key,
	version bigint not null,
	step_name varchar(100) not null,
	job_execution_id bigint not null,
	create_time timestamp not null,
	start_time timestamp default null,
	end_time timestamp default null,
	status varchar(10),
	commit_count bigint,
	read_count bigint,
	filter_count bigint,
	write_count bigint,
	read_skip_count bigint,
	write_skip_count bigint,
	process_skip_count bigint,
	rollback_count bigint,
	exit_code varchar(2500),
	exit_message varchar(2500),
	last_updated timestamp,
	constraint job_exec_step_fk foreign key (job_execution_id)
	references batch.batch_job_execution(job_execution_id)
) ;

CREATE TABLE batch.batch_step_execution_context (
	step_execution_id bigint not null primary key,
	short_context varchar(2500) not null,
	serialized_context text,
	constraint step_exec_ctx_fk foreign key (step_execution_id)
	references batch.batch_step_execution(step_execution_id)
) ;

CREATE TABLE batch.batch_job_execution_context (
	job_execution_id bigint not null primary key,
	short_context varchar(2500) not null,
	serialized_context text,
	constraint job_exec_ctx_fk foreign key (job_execution_id)
	references batch.batch_job_execution(job_execution_id)
) ;

CREATE SEQUENCE batch.batch_step_execution_seq maxvalue 9223372036854775807 no cycle;
CREATE SEQUENCE batch.batch_job_execution_seq maxvalue 9223372036854775807 no cycle;
CREATE SEQUENCE batch.batch_job_instance_seq maxvalue 9223372036854775807 no cycle;

COMMENT ON TABLE batch.batch_job_instance IS 'Spring Batch: one per (job name, identifying parameters); for the orchestrator, one per experiment.';
COMMENT ON COLUMN batch.batch_job_instance.job_instance_id IS 'The job instance.';
COMMENT ON COLUMN batch.batch_job_instance.version IS 'Optimistic-locking version of the row.';
COMMENT ON COLUMN batch.batch_job_instance.job_name IS 'The jobs name.';
COMMENT ON COLUMN batch.batch_job_instance.job_key IS 'Hash of the identifying parameters.';
COMMENT ON TABLE batch.batch_job_execution IS 'Spring Batch: each run of a job instance; a restart is a new execution of the same instance.';
COMMENT ON COLUMN batch.batch_job_execution.job_execution_id IS 'The job execution.';
COMMENT ON COLUMN batch.batch_job_execution.version IS 'Optimistic-locking version of the row.';
COMMENT ON COLUMN batch.batch_job_execution.job_instance_id IS 'The job instance.';
COMMENT ON COLUMN batch.batch_job_execution.create_time IS 'When the row was created.';
COMMENT ON COLUMN batch.batch_job_execution.start_time IS 'When it started.';
COMMENT ON COLUMN batch.batch_job_execution.end_time IS 'When it ended.';
COMMENT ON COLUMN batch.batch_job_execution.status IS 'COMPLETED, STARTING, STARTED, STOPPING, STOPPED, FAILED, ABANDONED or UNKNOWN.';
COMMENT ON COLUMN batch.batch_job_execution.exit_code IS 'The exit code, e.g. COMPLETED or FAILED.';
COMMENT ON COLUMN batch.batch_job_execution.exit_message IS 'The exit message; for a failure, the stack trace.';
COMMENT ON COLUMN batch.batch_job_execution.last_updated IS 'When the row was last updated.';
COMMENT ON TABLE batch.batch_job_execution_params IS 'Spring Batch: the parameters of each job execution.';
COMMENT ON COLUMN batch.batch_job_execution_params.job_execution_id IS 'The job execution.';
COMMENT ON COLUMN batch.batch_job_execution_params.parameter_name IS 'Name.';
COMMENT ON COLUMN batch.batch_job_execution_params.parameter_type IS 'Java type.';
COMMENT ON COLUMN batch.batch_job_execution_params.parameter_value IS 'Value.';
COMMENT ON COLUMN batch.batch_job_execution_params.identifying IS 'Y when it identifies the job instance.';
COMMENT ON TABLE batch.batch_step_execution IS 'Spring Batch: each run of a step (prepare, trials, finalize) within a job execution.';
COMMENT ON COLUMN batch.batch_step_execution.step_execution_id IS 'The step execution.';
COMMENT ON COLUMN batch.batch_step_execution.version IS 'Optimistic-locking version of the row.';
COMMENT ON COLUMN batch.batch_step_execution.step_name IS 'The steps name.';
COMMENT ON COLUMN batch.batch_step_execution.job_execution_id IS 'The job execution.';
COMMENT ON COLUMN batch.batch_step_execution.create_time IS 'When the row was created.';
COMMENT ON COLUMN batch.batch_step_execution.start_time IS 'When it started.';
COMMENT ON COLUMN batch.batch_step_execution.end_time IS 'When it ended.';
COMMENT ON COLUMN batch.batch_step_execution.status IS 'COMPLETED, STARTING, STARTED, STOPPING, STOPPED, FAILED, ABANDONED or UNKNOWN.';
COMMENT ON COLUMN batch.batch_step_execution.commit_count IS 'Transactions committed.';
COMMENT ON COLUMN batch.batch_step_execution.read_count IS 'Items read.';
COMMENT ON COLUMN batch.batch_step_execution.filter_count IS 'Items filtered.';
COMMENT ON COLUMN batch.batch_step_execution.write_count IS 'Items written.';
COMMENT ON COLUMN batch.batch_step_execution.read_skip_count IS 'Reads skipped.';
COMMENT ON COLUMN batch.batch_step_execution.write_skip_count IS 'Writes skipped.';
COMMENT ON COLUMN batch.batch_step_execution.process_skip_count IS 'Processings skipped.';
COMMENT ON COLUMN batch.batch_step_execution.rollback_count IS 'Transactions rolled back.';
COMMENT ON COLUMN batch.batch_step_execution.exit_code IS 'The exit code, e.g. COMPLETED or FAILED.';
COMMENT ON COLUMN batch.batch_step_execution.exit_message IS 'The exit message; for a failure, the stack trace.';
COMMENT ON COLUMN batch.batch_step_execution.last_updated IS 'When the row was last updated.';
COMMENT ON TABLE batch.batch_step_execution_context IS 'Spring Batch: the checkpoint (execution context) of each step execution.';
COMMENT ON COLUMN batch.batch_step_execution_context.step_execution_id IS 'The step execution.';
COMMENT ON COLUMN batch.batch_step_execution_context.short_context IS 'The execution context, serialised (first 2500 characters).';
COMMENT ON COLUMN batch.batch_step_execution_context.serialized_context IS 'The whole execution context when it is longer.';
COMMENT ON TABLE batch.batch_job_execution_context IS 'Spring Batch: the execution context of each job execution.';
COMMENT ON COLUMN batch.batch_job_execution_context.job_execution_id IS 'The job execution.';
COMMENT ON COLUMN batch.batch_job_execution_context.short_context IS 'The execution context, serialised (first 2500 characters).';
COMMENT ON COLUMN batch.batch_job_execution_context.serialized_context IS 'The whole execution context when it is longer.';
COMMENT ON SEQUENCE batch.batch_step_execution_seq IS 'Spring Batch id sequence.';
COMMENT ON SEQUENCE batch.batch_job_execution_seq IS 'Spring Batch id sequence.';
COMMENT ON SEQUENCE batch.batch_job_instance_seq IS 'Spring Batch id sequence.';
