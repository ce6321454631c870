package org.visutility.orchestrator.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a migrated database of its own on the run's one PostgreSQL server.
 * Declare a {@link TestDatabase} parameter on a test method, a lifecycle method or the constructor.
 */
public final class PostgresExtension implements ParameterResolver, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        ExtensionContext classContext = c.getTestClass().isPresent() && c.getTestMethod().isPresent()
                ? c.getParent().orElse(c) : c;
        return classContext.getStore(NS).getOrComputeIfAbsent("db",
                k -> TestPostgres.get().newMigratedDatabase(c.getRequiredTestClass().getSimpleName()), TestDatabase.class);
    }

    @Override
    public void afterAll(ExtensionContext c) {
        TestDatabase db = c.getStore(NS).remove("db", TestDatabase.class);
        if (db != null) db.close();
    }
}
