package org.visutility.orchestrator.store;

import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/**
 * SQL kept in {@code .sql} resources beside the code that runs it:
 * {@code SqlFiles.load(TrialRows.class, "BestTrial")} reads
 * {@code org/visutility/orchestrator/<package>/BestTrial.sql}, comments removed.
 */
public final class SqlFiles {
    private static final ClasspathSqlLocator LOCATOR = ClasspathSqlLocator.removingComments();

    private SqlFiles() {
    }

    public static String load(Class<?> near, String name) {
        return LOCATOR.locate(near.getPackageName() + "." + name);
    }
}
