package dev.rolebridge.internal.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Wraps the store's DataSource to see every statement the database receives and to make it fail.
 *
 * <p>Counting happens at the JDBC level on purpose: it counts what actually travels to the database
 * (each {@code execute*} call is one round trip, a JDBC batch counts once), including what EclipseLink runs
 * beneath its queries (sequence calls, pessimistic locks, batched inserts), so a change in how EclipseLink
 * groups its work cannot hide an extra statement. EclipseLink's session events count queries, not
 * statements, and see nothing that bypasses them.
 *
 * <p>Failing: after {@link #failAfter(int)} the database "goes down" once that many more statements ran:
 * the next statement, and every JDBC call after it except {@code close()}, throws SQLState 08006 until
 * {@link #heal()}. {@link #sever()} closes the real connections in use, as a database restart does.
 *
 * <p>Interleaving: {@link #beforeFirst(String, Runnable)} runs other work, say another node's, at one
 * precise point of a transaction.
 */
final class RecordingDataSource {

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger batchedRows = new AtomicInteger();
    private final List<String> sql = new ArrayList<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Interruption> interruption = new AtomicReference<>();
    private volatile int allowed = -1;
    private volatile boolean down;

    /** The decorator to pass to {@link MembershipStore#open(StoreSettings, java.util.function.UnaryOperator)}. */
    DataSource wrap(DataSource target) {
        return proxy(DataSource.class, (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
                checkUp();
            }
            Object result = invoke(target, method, args);
            if (method.getName().equals("getConnection")) {
                connections.incrementAndGet();
                Connection connection = (Connection) result;
                open.add(connection);
                return connection(connection);
            }
            return result;
        });
    }

    /** Connections taken since the last {@link #reset()}. */
    int connections() {
        return connections.get();
    }

    /** Statements executed since the last {@link #reset()}. */
    int statements() {
        return statements.get();
    }

    /** Rows sent in JDBC batches since the last {@link #reset()}. */
    int batchedRows() {
        return batchedRows.get();
    }

    /** The SQL executed since the last {@link #reset()}, one entry per statement, for failure messages. */
    synchronized List<String> sql() {
        return List.copyOf(sql);
    }

    synchronized void reset() {
        connections.set(0);
        statements.set(0);
        batchedRows.set(0);
        sql.clear();
    }

    /** Lets {@code statements} more statements run, then fails the next one and everything after it. */
    void failAfter(int statements) {
        allowed = statements;
    }

    /**
     * Runs {@code action} once, on the calling thread, just before the first statement whose SQL contains
     * {@code fragment} is prepared.
     */
    void beforeFirst(String fragment, Runnable action) {
        interruption.set(new Interruption(fragment, action));
    }

    private record Interruption(String fragment, Runnable action) {}

    /** The database is back. */
    void heal() {
        allowed = -1;
        down = false;
    }

    /** Closes every real connection in use, as a database restart does. */
    void sever() {
        for (Connection connection : open) {
            try {
                connection.close();
            } catch (SQLException e) {
                // already gone
            }
        }
    }

    private Connection connection(Connection target) {
        return proxy(Connection.class, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("close")) {
                open.remove(target);
                return invoke(target, method, args);
            }
            if (!name.equals("isClosed")) {
                checkUp();
            }
            Interruption pending = interruption.get();
            if (pending != null
                    && name.startsWith("prepare")
                    && args[0] instanceof String text
                    && text.contains(pending.fragment())
                    && interruption.compareAndSet(pending, null)) {
                pending.action().run();
            }
            Object result = invoke(target, method, args);
            if (result instanceof CallableStatement statement) {
                return statement(CallableStatement.class, statement, args);
            } else if (result instanceof PreparedStatement statement) {
                return statement(PreparedStatement.class, statement, args);
            } else if (result instanceof Statement statement) {
                return statement(Statement.class, statement, args);
            }
            return result;
        });
    }

    private <S extends Statement> S statement(Class<S> type, S target, Object[] prepareArgs) {
        String prepared =
                prepareArgs != null && prepareArgs.length > 0 && prepareArgs[0] instanceof String text ? text : null;
        return proxy(type, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("close")) {
                return invoke(target, method, args);
            }
            checkUp();
            if (name.equals("addBatch")) {
                batchedRows.incrementAndGet();
            } else if (name.startsWith("execute")) {
                if (allowed == 0) {
                    down = true;
                    checkUp();
                }
                synchronized (this) {
                    if (allowed > 0) {
                        allowed--;
                    }
                }
                statements.incrementAndGet();
                synchronized (this) {
                    sql.add(args != null && args.length > 0 && args[0] instanceof String text ? text : prepared);
                }
            }
            return invoke(target, method, args);
        });
    }

    private void checkUp() throws SQLException {
        if (down) {
            throw new SQLException("simulated outage: the database does not answer", "08006");
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(RecordingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
