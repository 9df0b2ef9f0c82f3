package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The connections of {@code jdbcUrl} come from a pool: logins reuse them, and when the database drops them (as a
 * restart does) the pool replaces them and the next login goes through without a restart of the application.
 */
class MembershipStorePoolTest extends StoreTestBase {

    @Test
    void transactionsReuseOnePhysicalConnectionInsteadOfOpeningOneEach() throws Exception {
        assumeTrue(database != TestDatabase.H2, "the embedded database has a pool of its own");
        Database db = Database.of(database.settings());
        try {
            Set<Long> sessions = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                try (Connection connection = db.dataSource().getConnection();
                        Statement statement = connection.createStatement();
                        ResultSet result = statement.executeQuery(
                                database == TestDatabase.POSTGRESQL
                                        ? "SELECT pg_backend_pid()"
                                        : "SELECT CONNECTION_ID()")) {
                    result.next();
                    sessions.add(result.getLong(1));
                }
            }
            assertThat(sessions)
                    .as("database sessions behind five transactions one after the other")
                    .hasSize(1);
        } finally {
            db.close();
        }
    }

    @Test
    void aLoginAfterTheDatabaseDroppedEveryConnectionGoesThrough() {
        assumeTrue(database != TestDatabase.H2, "the embedded database runs in the JVM and cannot drop connections");
        sync(login("before-restart", List.of("builder")));

        dropEveryOtherConnection();

        MembershipStore.SyncRecord after = sync(login("after-restart", List.of("admin")));
        assertThat(after.userGroups()).contains("admin");
        assertThat(user(login("after-restart", List.of()))).isNotNull();
    }

    /** Ends every session but this one, as a database restart would. */
    private void dropEveryOtherConnection() {
        switch (database) {
            case POSTGRESQL ->
                database.count("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE usename = current_user AND pid <> pg_backend_pid()");
            case MARIADB -> {
                for (long id : mariadbConnectionIds()) {
                    database.execute("KILL CONNECTION " + id);
                }
            }
            case H2 -> throw new IllegalStateException("not for the embedded database");
        }
    }

    private List<Long> mariadbConnectionIds() {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT ID FROM information_schema.PROCESSLIST"
                        + " WHERE ID <> CONNECTION_ID() AND USER = SUBSTRING_INDEX(CURRENT_USER(), '@', 1)")) {
            List<Long> ids = new java.util.ArrayList<>();
            while (result.next()) {
                ids.add(result.getLong(1));
            }
            return ids;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
