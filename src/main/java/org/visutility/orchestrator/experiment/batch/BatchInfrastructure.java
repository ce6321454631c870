package org.visutility.orchestrator.experiment.batch;

import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.ExecutionContextSerializer;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.dao.DefaultExecutionContextSerializer;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Isolation;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;

/**
 * Spring Batch without Spring Boot, on the orchestrator's own pool: a JDBC job repository in
 * schema batch (prefix {@code batch.BATCH_}), a job operator that runs jobs on the calling
 * thread, and one transaction manager shared by the repository and our own SQL.
 *
 * <p>Why the two proxies: the transaction manager works on a {@link LazyConnectionDataSourceProxy},
 * so a step's transaction takes a real connection only at its first statement, not while a
 * trainer runs for minutes; our Jdbi works on a {@link TransactionAwareDataSourceProxy} over the
 * same lazy source, so a trial row joins the transaction that commits the step's checkpoint.
 */
public final class BatchInfrastructure {
    public static final String TABLE_PREFIX = "batch.BATCH_";

    private final DataSourceTransactionManager transactionManager;
    private final JobRepository repository;
    private final TaskExecutorJobOperator operator;
    private final Jdbi transactionalJdbi;
    private final CheckpointInUnit checkpointInUnit;

    private BatchInfrastructure(DataSourceTransactionManager transactionManager, JobRepository repository,
                                TaskExecutorJobOperator operator, Jdbi transactionalJdbi, CheckpointInUnit checkpointInUnit) {
        this.checkpointInUnit = checkpointInUnit;
        this.transactionManager = transactionManager;
        this.repository = repository;
        this.operator = operator;
        this.transactionalJdbi = transactionalJdbi;
    }

    public static BatchInfrastructure create(DataSource pool) {
        try {
            LazyConnectionDataSourceProxy lazy = new LazyConnectionDataSourceProxy(pool);
            DataSourceTransactionManager tm = new DataSourceTransactionManager(lazy);
            tm.afterPropertiesSet();

            JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
            factory.setDataSource(lazy);
            factory.setTransactionManager(tm);
            factory.setTablePrefix(TABLE_PREFIX);
            factory.setDatabaseType("POSTGRES");
            // set here because CheckpointInUnit writes the trials step's context the same way; contexts in
            // Spring Batch's default format (Base64 Java serialization), written before, are still read
            ExecutionContextSerializer serializer = new CompactContextSerializer(new DefaultExecutionContextSerializer());
            factory.setSerializer(serializer);
            factory.setCharset(StandardCharsets.UTF_8);
            factory.setMaxVarCharLengthForShortContext(CheckpointInUnit.SHORT_CONTEXT_LENGTH);
            // Spring Batch creates job instances and executions under SERIALIZABLE by default; on PostgreSQL
            // two nodes launching *different* experiments at once then fail with serialization errors at
            // commit ("JDBC commit failed"). One experiment is launched by one node at a time (the fenced
            // claim), and batch_job_instance's unique job key stays the backstop, so READ COMMITTED is safe.
            factory.setIsolationLevelForCreateEnum(Isolation.READ_COMMITTED);
            factory.afterPropertiesSet();
            JobRepository repository = factory.getObject();

            TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
            operator.setJobRepository(repository);
            operator.setJobRegistry(new MapJobRegistry());
            operator.setTaskExecutor(new SyncTaskExecutor());
            operator.afterPropertiesSet();

            Jdbi jdbi = Jdbi.create(new TransactionAwareDataSourceProxy(lazy)).installPlugin(new PostgresPlugin());
            // the transaction belongs to Spring: a handle closing inside it must not end it
            jdbi.getConfig(Handles.class).setForceEndTransactions(false);
            return new BatchInfrastructure(tm, repository, operator, jdbi, new CheckpointInUnit(serializer, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up Spring Batch on the orchestrator database: " + e.getMessage(), e);
        }
    }

    CheckpointInUnit checkpointInUnit() {
        return checkpointInUnit;
    }

    public PlatformTransactionManager transactionManager() {
        return transactionManager;
    }

    public JobRepository repository() {
        return repository;
    }

    public JobOperator operator() {
        return operator;
    }

    /** Jdbi whose statements join the current Spring transaction (the step's chunk), or autocommit outside one. */
    public Jdbi transactionalJdbi() {
        return transactionalJdbi;
    }
}
