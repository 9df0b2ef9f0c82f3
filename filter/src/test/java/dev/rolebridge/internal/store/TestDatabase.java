package dev.rolebridge.internal.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The databases the persistence suite runs against, chosen with the system property
 * {@value #PROPERTY} (comma-separated, default {@code h2}):
 * <pre>
 * mvn -pl filter test -Drolebridge.test.databases=h2,postgresql,mariadb
 * </pre>
 * A selected database that cannot be reached fails every test that uses it, with the reason; it is never
 * skipped. Each run starts from an empty throwaway schema: PostgreSQL's schema {@code rolebridge_it} in the
 * database {@code test}, MariaDB's database {@code rolebridge_it}, a new H2 directory under
 * {@code target/store-tests}. The servers are found on loopback by default; override with
 * {@code rolebridge.test.postgresql.url} / {@code .user} / {@code .password} and the same for {@code mariadb}
 * (the URL names the database that holds the throwaway schema).
 */
enum TestDatabase {
    H2,
    POSTGRESQL,
    MARIADB;

    static final String PROPERTY = "rolebridge.test.databases";

    /** The schema (PostgreSQL) or database (MariaDB) the suite owns and recreates at every run. */
    static final String SCHEMA = "rolebridge_it";

    private static final Map<TestDatabase, Object> PREPARED = new ConcurrentHashMap<>();
    private static final Map<TestDatabase, MembershipStore> SHARED = new ConcurrentHashMap<>();
    private static final Map<String, Path> OTHER_H2 = new ConcurrentHashMap<>();

    /** The databases selected for this run; the {@code @MethodSource} of every persistence test class. */
    static List<TestDatabase> selected() {
        String value = System.getProperty(PROPERTY, "h2");
        List<TestDatabase> databases = new ArrayList<>();
        for (String name : value.split(",", 0)) {
            if (name.isBlank()) {
                continue;
            }
            try {
                databases.add(valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        PROPERTY + ": '" + value + "' names '" + name.strip() + "'; expected a comma-separated list of "
                                + Arrays.toString(values()).toLowerCase(Locale.ROOT));
            }
        }
        if (databases.isEmpty()) {
            throw new IllegalArgumentException(PROPERTY + ": '" + value + "' selects no database; expected e.g. 'h2'");
        }
        return databases;
    }

    /** The settings of this run's shared database (prepared on first use). */
    StoreSettings settings() {
        Object prepared = prepare();
        return this == H2 ? StoreSettings.embedded((Path) prepared) : StoreSettings.jdbc(url(), user(), password());
    }

    /**
     * The store on this run's database that tests share, seeded with {@link StoreFixtures#CONFIG}; tests keep
     * apart by using their own names. Closed when the JVM exits.
     */
    MembershipStore sharedStore() {
        return SHARED.computeIfAbsent(this, database -> {
            MembershipStore store = MembershipStore.open(settings());
            store.seed(StoreFixtures.CONFIG);
            Runtime.getRuntime().addShutdownHook(new Thread(store::close));
            return store;
        });
    }

    /** A plain JDBC connection to this run's database, to check what the store wrote with a fresh read. */
    Connection connect() throws SQLException {
        prepare();
        return this == H2
                ? DriverManager.getConnection(
                        "jdbc:h2:file:"
                                + ((Path) PREPARED.get(H2))
                                        .toAbsolutePath()
                                        .resolve(StoreSettings.EMBEDDED_DATABASE_NAME),
                        "sa",
                        "")
                : DriverManager.getConnection(url(), user(), password());
    }

    /** Runs a query with parameters and returns the single number it selects. */
    long count(String sql, Object... parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one statement outside the store, as an administrator would in a SQL console. */
    void execute(String sql, Object... parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Settings of a second throwaway schema of this database, {@code name}, recreated empty on every call: for
     * a test that needs a database of its own, such as an upgrade from an older schema. {@link #connect(String)}
     * reaches it with plain JDBC.
     */
    StoreSettings emptySchema(String name) {
        prepare();
        try {
            switch (this) {
                case H2 -> {
                    Path directory = Path.of("target", "store-tests", name + "-" + UUID.randomUUID())
                            .toAbsolutePath();
                    Files.createDirectories(directory);
                    OTHER_H2.put(name, directory);
                    return StoreSettings.embedded(directory);
                }
                case POSTGRESQL ->
                    run(serverUrl(), "DROP SCHEMA IF EXISTS " + name + " CASCADE", "CREATE SCHEMA " + name);
                case MARIADB -> run(serverUrl(), "DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the throwaway schema " + name + " on " + this + ": " + e, e);
        }
        return StoreSettings.jdbc(url(name), user(), password());
    }

    /** A plain JDBC connection to the schema {@link #emptySchema(String)} created. */
    Connection connect(String name) throws SQLException {
        return this == H2
                ? DriverManager.getConnection(
                        "jdbc:h2:file:" + OTHER_H2.get(name).resolve(StoreSettings.EMBEDDED_DATABASE_NAME), "sa", "")
                : DriverManager.getConnection(url(name), user(), password());
    }

    private Object prepare() {
        return PREPARED.computeIfAbsent(this, database -> {
            try {
                return database.createSchema();
            } catch (Exception e) {
                throw new IllegalStateException(
                        name().toLowerCase(Locale.ROOT) + " is selected (" + PROPERTY + "="
                                + System.getProperty(PROPERTY, "h2") + ") but cannot be prepared at " + serverUrl()
                                + " as '"
                                + user() + "': "
                                + String.valueOf(e.getMessage()).replaceFirst("\\.?$", "")
                                + ". Start the server, or leave it"
                                + " out of " + PROPERTY + ".",
                        e);
            }
        });
    }

    /**
     * Recreates the throwaway schema, with one table of "the application's own" in it, so the suite also
     * proves that the store settles into a schema that is not empty.
     */
    private Object createSchema() throws Exception {
        switch (this) {
            case H2 -> {
                Path directory = Path.of("target", "store-tests", "h2-" + UUID.randomUUID())
                        .toAbsolutePath();
                Files.createDirectories(directory);
                return directory;
            }
            case POSTGRESQL ->
                run(
                        serverUrl(),
                        "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE",
                        "CREATE SCHEMA " + SCHEMA,
                        "CREATE TABLE " + SCHEMA + ".app_user (id BIGINT PRIMARY KEY, name VARCHAR(100))");
            case MARIADB ->
                run(
                        serverUrl(),
                        "DROP DATABASE IF EXISTS " + SCHEMA,
                        // latin1 on purpose: Rolebridge's tables must bring their own character set
                        "CREATE DATABASE " + SCHEMA + " CHARACTER SET latin1",
                        "CREATE TABLE " + SCHEMA + ".app_user (id BIGINT PRIMARY KEY, name VARCHAR(100))");
        }
        return url();
    }

    private void run(String url, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user(), password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The server's database that holds the throwaway schema. */
    private String serverUrl() {
        return switch (this) {
            case H2 -> "target/store-tests";
            case POSTGRESQL ->
                System.getProperty("rolebridge.test.postgresql.url", "jdbc:postgresql://127.0.0.1:5432/test");
            case MARIADB -> System.getProperty("rolebridge.test.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/test");
        };
    }

    /** The JDBC URL of the throwaway schema. */
    private String url() {
        return url(SCHEMA);
    }

    private String url(String schema) {
        return switch (this) {
            case H2 -> throw new UnsupportedOperationException("the embedded database has no URL setting");
            case POSTGRESQL -> serverUrl() + (serverUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
            case MARIADB -> serverUrl().replaceFirst("(//[^/]+/)[^?]*", "$1" + schema);
        };
    }

    private String user() {
        return switch (this) {
            case H2 -> "sa";
            case POSTGRESQL -> System.getProperty("rolebridge.test.postgresql.user", "postgres");
            case MARIADB -> System.getProperty("rolebridge.test.mariadb.user", "root");
        };
    }

    private String password() {
        return switch (this) {
            case H2 -> "";
            case POSTGRESQL -> System.getProperty("rolebridge.test.postgresql.password", "");
            case MARIADB -> System.getProperty("rolebridge.test.mariadb.password", "");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
