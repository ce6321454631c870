package org.visutility.orchestrator.config;

import java.util.Locale;

/**
 * One setting: its key in the YAML file, its environment variable, its default and what it means.
 * The README's settings table is this list.
 */
public enum Setting {
    DB_URL("db_url", null, "JDBC URL of the PostgreSQL database (jdbc:postgresql://host:port/db); unset: the embedded PostgreSQL"),
    DB_USER("db_user", null, "database user"),
    DB_PASSWORD("db_password", null, "database password"),
    DB_POOL_SIZE("db_pool_size", "10", "connections in the pool (1-200)"),
    EMBEDDED_SHARED_BUFFERS_MB("embedded_shared_buffers_mb", null, "megabytes of memory the embedded PostgreSQL caches table and index pages in, its shared_buffers (128-262144); unset: a quarter of the memory this process may use (a container's limit), from 128 MB to 8 GB; not used with db_url"),
    HOME("home", "./var", "where the embedded PostgreSQL keeps its data and the node its files"),
    HTTP_HOST("http_host", "0.0.0.0", "address the HTTP server listens on"),
    HTTP_PORT("http_port", "8080", "HTTP port (0 picks a free one)"),
    INGEST_TOKENS("ingest_tokens", null, "comma-separated bearer tokens (name:token, or a bare token named ingest-N) for POST /api/v1/snapshots and /api/v1/distributions; name:token:revise stores the changed values that token posts as revisions (default: rejected with 409); none set: only loopback callers"),
    OPERATOR_TOKENS("operator_tokens", null, "comma-separated bearer tokens (name:token, or a bare token named operator-N) for the control API (POST /api/v1/experiments, ...) and the read API; none set: the control API only for loopback callers"),
    READ_TOKENS("read_tokens", null, "comma-separated bearer tokens (name:token, or a bare token named read-N) for the dashboard's read API; none set: the read API is open"),
    SERVER("server", null, "URL of a serving node (http://host:8080): experiments submit, experiments cancel, ops restart and ops abandon send their request there instead of opening the database; unset: the database"),
    TOKEN("token", null, "bearer token the commands send to server (an operator token); unset: none, for a node without operator tokens on loopback"),
    POLICY_INTERVAL("policy_interval", "1m", "how often retrain policies are evaluated"),
    HEARTBEAT_INTERVAL("heartbeat_interval", "10s", "how often a running experiment heartbeats"),
    RESCUE_AFTER("rescue_after", "1m", "a run whose owner has been silent this long is taken over"),
    SCHEDULER_THREADS("scheduler_threads", "4", "Quartz worker threads on this node (1-64)"),
    CLUSTER_CHECKIN_INTERVAL("cluster_checkin_interval", "7500ms", "how often this node checks in to the Quartz cluster"),
    INGEST_REGISTER_UNKNOWN("ingest_register_unknown", "true", "register unknown models and versions on first sight (false: reject their snapshots)"),
    INGEST_BOUNDED_METRICS("ingest_bounded_metrics", null, "comma-separated metric names that must lie within [0, 1], besides accuracy, precision, recall, f1 and auc"),
    INGEST_MAX_AGE("ingest_max_age", "730d", "snapshots observed longer ago than this are rejected (1d-36500d); a new SQL collector's first pull starts there"),
    INGEST_MAX_NEW_PARTITIONS("ingest_max_new_partitions", "3", "monthly partitions one batch may create (1-120); a batch whose snapshots fall in more months without a partition is rejected"),
    MAX_HISTOGRAM_BINS("max_histogram_bins", "100", "bins (numeric) or values (categorical) one histogram of POST /api/v1/distributions, ingest or a SQL collector may hold (1-10000)"),
    COLLECTORS("collectors", null, "SQL collectors: a YAML list of {name, url, user, password, query with :since, cron, on_changed_value, settle, max_revision_age, on_invalid_row: reject_run or skip_row}; in the environment the same list as JSON"),
    COLLECTOR_DEGRADED_AFTER("collector_degraded_after", "3", "GET /health says degraded once a SQL collector has failed this many runs in a row (1-1000)"),
    POLICY_WEBHOOK_URL("policy_webhook_url", null, "http(s) URL that receives a JSON POST for every policy state change and enqueued experiment; unset: the log only"),
    MAX_RUNNING_EXPERIMENTS("max_running_experiments", "2", "experiments running at once across the cluster (1-1000); keep it below scheduler_threads"),
    MAX_PARALLEL_TRIALS("max_parallel_trials", "8", "trials one experiment runs at once; a larger budget.parallel is lowered to this (1-256)"),
    TRIALS_PER_NODE("trials_per_node", null, "trials of any experiments' distributed runs this node runs at once as a worker (0-256; 0: it runs none for others); unset: the number of cores"),
    DISPATCH_INTERVAL("dispatch_interval", "2s", "how often queued experiments are looked for and launched"),
    TRIAL_FOLDER_RETENTION("trial_folder_retention", "7d", "trial folders (the trainer's files, stdout.log, stderr.log) untouched this long are removed by the serve node that holds them, hourly (1h-3650d)"),
    OPENLINEAGE_URL("openlineage_url", null, "http(s) URL of an OpenLineage endpoint that receives the experiments' run events (a URL without a path posts to /api/v1/lineage); unset: no HTTP export"),
    OPENLINEAGE_FILE("openlineage_file", null, "file that receives the experiments' run events as JSON lines, appended; unset: no file export"),
    OPENLINEAGE_NAMESPACE("openlineage_namespace", "visutility-orchestrator", "OpenLineage namespace of the experiment jobs and model datasets"),
    OPENLINEAGE_TIMEOUT("openlineage_timeout", "5s", "how long sending one event may take (connect, then response); runs never wait for it"),
    OPENLINEAGE_API_KEY("openlineage_api_key", null, "bearer token sent to openlineage_url; unset: no Authorization header"),
    RESCUE_INTERVAL("rescue_interval", "30s", "how often the clustered rescuer looks for runs whose node is gone"),
    RESCUE_ACTION("rescue_action", "RECOVER_AND_RESTART", "what is done with a run whose node is gone: RECOVER_AND_RESTART (back to the queue, resumes from its checkpoint) or MARK_FAILED"),
    RESCUE_MAX_ATTEMPTS("rescue_max_attempts", "3", "a run is rescued at most this many times (1-100); the next time it is marked failed"),
    PROMOTION_WEBHOOK_URL("promotion_webhook_url", null, "http(s) URL that receives a signed JSON POST when a model version is approved or rolled back into service (docs/promotion-handoff.md); unset: no webhook"),
    PROMOTION_WEBHOOK_SECRET("promotion_webhook_secret", null, "secret (16-512 characters) whose HMAC-SHA256 of each body is sent as X-Orchestrator-Signature: sha256=<hex>; unset: unsigned"),
    PROMOTION_COMMAND("promotion_command", null, "program started once per approval or rollback with the JSON on stdin (a YAML list, a JSON array, or words split on spaces); exit 0 = delivered; unset: no hook"),
    PROMOTION_TIMEOUT("promotion_timeout", PromotionDefaults.TIMEOUT, "how long one webhook POST or one run of promotion_command may take"),
    POLICY_SQL_PASSWORD("policy_sql_password", null, "password of the login <database>_policy_sql that custom SQL policy conditions run as (set on it by roles create); unset: none, for trust or peer authentication");

    public static final String ENV_PREFIX = "ORCHESTRATOR_";

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String env() {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT);
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) return s;
        }
        return null;
    }
}
