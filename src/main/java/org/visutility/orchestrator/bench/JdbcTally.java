package org.visutility.orchestrator.bench;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DataSource wrapper that counts what goes to the database: each statement executed (named by
 * its verb and table), each commit and rollback, each connection taken from the pool, and the
 * time spent inside those calls (a round trip plus the server's work). A benchmark takes a
 * {@link #snapshot()} before and after what it measures and divides the difference by the work
 * done, which tells where the time of one unit goes. The wrapping costs about a microsecond a call.
 */
final class JdbcTally {
    /** Calls that talk to the server and are worth counting besides the statements. */
    private static final Set<String> CONNECTION_CALLS = Set.of("commit", "rollback", "setTransactionIsolation",
            "getTransactionIsolation", "isValid", "setReadOnly", "setSavepoint", "releaseSavepoint");
    private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");
    private static final Pattern VERB = Pattern.compile(
            "(?is)^\\s*(?:--[^\\n]*\\n\\s*)*(select|insert\\s+into|update|delete\\s+from|with|commit|begin|set|show)\\b\\s*([a-z_.\"]*)");
    private static final Pattern FROM = Pattern.compile("(?is)\\bfrom\\s+([a-z_.\"]+)");

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** A count and the nanoseconds spent in the calls counted. */
    static final class Counter {
        final LongAdder calls = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    /** Counts and milliseconds by name, at one moment. */
    record Snapshot(Map<String, long[]> byName) {
        /** What happened between {@code before} and this snapshot, per {@code units}: name to [calls, milliseconds]. */
        Map<String, double[]> perUnit(Snapshot before, int units) {
            Map<String, double[]> out = new TreeMap<>();
            byName.forEach((name, now) -> {
                long[] then = before.byName().getOrDefault(name, new long[2]);
                long calls = now[0] - then[0];
                if (calls > 0) out.put(name, new double[]{(double) calls / units, (now[1] - then[1]) / 1e6 / units});
            });
            return out;
        }
    }

    DataSource wrap(DataSource target) {
        return proxy(DataSource.class, target, (method, args, result) -> {
            if (method.getName().equals("getConnection")) {
                return proxy(Connection.class, (Connection) result, null, "connection");
            }
            return result;
        }, "connection");
    }

    Snapshot snapshot() {
        Map<String, long[]> copy = new TreeMap<>();
        counters.forEach((name, c) -> copy.put(name, new long[]{c.calls.sum(), c.nanos.sum()}));
        return new Snapshot(copy);
    }

    private interface AfterCall {
        Object after(Method method, Object[] args, Object result);
    }

    private <T> T proxy(Class<T> type, T target, AfterCall after, String getConnectionName) {
        InvocationHandler handler = (self, method, args) -> {
            String name = method.getName();
            long start = System.nanoTime();
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            long took = System.nanoTime() - start;
            if (type == DataSource.class && name.equals("getConnection")) count(getConnectionName, took);
            if (type == Connection.class) {
                if (CONNECTION_CALLS.contains(name)) count(name, took);
                if (result instanceof Statement s && (name.startsWith("prepare") || name.equals("createStatement"))) {
                    String sql = args != null && args.length > 0 && args[0] instanceof String q ? q : null;
                    return statement(s, sql);
                }
            }
            return after == null ? result : after.after(method, args, result);
        };
        return type.cast(Proxy.newProxyInstance(JdbcTally.class.getClassLoader(), new Class<?>[]{type}, handler));
    }

    private Statement statement(Statement target, String preparedSql) {
        Class<?>[] types = target instanceof java.sql.CallableStatement ? new Class<?>[]{java.sql.CallableStatement.class}
                : target instanceof java.sql.PreparedStatement ? new Class<?>[]{java.sql.PreparedStatement.class}
                : new Class<?>[]{Statement.class};
        InvocationHandler handler = (self, method, args) -> {
            boolean counted = EXECUTES.contains(method.getName());
            long start = System.nanoTime();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (counted) {
                    String sql = preparedSql != null ? preparedSql : args != null && args.length > 0 && args[0] instanceof String q ? q : "?";
                    count(name(sql), System.nanoTime() - start);
                }
            }
        };
        return (Statement) Proxy.newProxyInstance(JdbcTally.class.getClassLoader(), types, handler);
    }

    private void count(String name, long nanos) {
        Counter c = counters.computeIfAbsent(name, n -> new Counter());
        c.calls.increment();
        c.nanos.add(nanos);
    }

    /** "update orchestrator.trial", "select batch.batch_job_execution": the verb and the first table. */
    static String name(String sql) {
        Matcher m = VERB.matcher(sql);
        if (!m.find()) return "other statement";
        String verb = m.group(1).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replace(" into", "").replace(" from", "");
        String table = m.group(2);
        // a WITH statement is named by its first CTE (the trials unit: "with fence"), a SELECT by its first table
        if (verb.equals("select")) {
            Matcher from = FROM.matcher(sql);
            table = from.find() ? from.group(1) : "";
        }
        return (verb + " " + table.toLowerCase(Locale.ROOT).replace("\"", "")).trim();
    }
}
