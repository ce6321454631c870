package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.locator.ClasspathSqlLocator;

/** The SQL of this package, from the .sql files beside it (org/visutility/orchestrator/collect/Name.sql). */
final class Sql {
    private static final ClasspathSqlLocator LOCATOR = ClasspathSqlLocator.removingComments();

    private Sql() {
    }

    static String named(String name) {
        return LOCATOR.locate(Sql.class.getPackageName() + "." + name);
    }
}
