package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.config.Setting;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure the monthly partitions a batch needs exist before it is written. Each month is
 * ensured in its own short transaction (creating a partition locks the parent table, which must
 * not be held through a long ingest), and remembered once ensured. A remembered month whose
 * partition was dropped since (old history is dropped by partition) is forgotten and ensured again.
 * A batch may create only a few months: each partition costs every later query on the table a
 * lock, and PostgreSQL's lock table is shared by the whole server.
 */
public final class SnapshotPartitions {
    /** The months a rejection lists; the rest are counted. */
    static final int MAX_LISTED_MONTHS = 12;
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyy_MM");

    private final Set<YearMonth> ensured = ConcurrentHashMap.newKeySet();
    private final int maxNew;

    /** @param maxNew how many months without a partition one batch may bring */
    public SnapshotPartitions(int maxNew) {
        this.maxNew = maxNew;
    }

    /**
     * Ensures the months on a handle outside any transaction.
     *
     * @throws InvalidSnapshotsException more than {@code maxNew} of the months have no partition yet; none was created
     */
    public void ensure(Handle handle, Set<YearMonth> months) {
        List<String> unknown = months.stream().filter(m -> !ensured.contains(m)).sorted().map(SUFFIX::format).toList();
        if (unknown.isEmpty()) return;
        List<String> missing = handle.createQuery(SqlFiles.load(SnapshotPartitions.class, "MissingSnapshotPartitions"))
                .bindArray("suffixes", String.class, unknown)
                .mapTo(String.class).list();
        if (missing.size() > maxNew) throw tooManyNew(missing);
        for (String suffix : unknown) {
            YearMonth month = YearMonth.parse(suffix, SUFFIX);
            if (missing.contains(suffix)) {
                handle.createQuery(SqlFiles.load(SnapshotPartitions.class, "EnsureSnapshotPartition"))
                        .bind("month", month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                        .mapTo(Long.class).one();
            }
            ensured.add(month);
        }
    }

    /** Whether every one of the months is known to have its partitions, without asking the database. */
    boolean known(Set<YearMonth> months) {
        return ensured.containsAll(months);
    }

    /**
     * Whether every one of the months has its partitions, creating none (for a transaction already
     * open, which must not lock the parent table); those that have are remembered.
     */
    boolean allExist(Handle handle, Set<YearMonth> months) {
        List<String> unknown = months.stream().filter(m -> !ensured.contains(m)).sorted().map(SUFFIX::format).toList();
        if (unknown.isEmpty()) return true;
        List<String> missing = handle.createQuery(SqlFiles.load(SnapshotPartitions.class, "MissingSnapshotPartitions"))
                .bindArray("suffixes", String.class, unknown)
                .mapTo(String.class).list();
        if (!missing.isEmpty()) return false;
        for (String suffix : unknown) ensured.add(YearMonth.parse(suffix, SUFFIX));
        return true;
    }

    void forget() {
        ensured.clear();
    }

    private InvalidSnapshotsException tooManyNew(List<String> missing) {
        List<String> shown = missing.stream().limit(MAX_LISTED_MONTHS).map(s -> s.replace('_', '-')).toList();
        String listed = String.join(", ", shown) + (missing.size() > shown.size() ? " and " + (missing.size() - shown.size()) + " more" : "");
        return new InvalidSnapshotsException(List.of(Violation.ofInput("observed_at", "falls in " + missing.size()
                + " months that have no partition yet (" + listed + "); one batch may create at most " + maxNew
                + " (" + Setting.INGEST_MAX_NEW_PARTITIONS.env() + "): send older history in batches of at most " + maxNew
                + " new months, oldest first")), 1);
    }
}
