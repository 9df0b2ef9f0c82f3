package dev.rolebridge.internal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The database a {@link MembershipStore} uses: where connections come from, how to describe it in the log,
 * and what to release at the end.
 */
final class Database implements AutoCloseable {

    /** The databases whose schema Rolebridge can create; each sets the placeholders of the migration scripts. */
    enum Vendor {
        H2(
                "org.eclipse.persistence.platform.database.H2Platform",
                "TIMESTAMP(6)",
                "CHARACTER VARYING(1000000)",
                "",
                "ALTER COLUMN ROLE_RANK DROP NOT NULL"),
        POSTGRESQL(
                "org.eclipse.persistence.platform.database.PostgreSQLPlatform",
                "TIMESTAMP(6)",
                "TEXT",
                "",
                "ALTER COLUMN ROLE_RANK DROP NOT NULL"),
        // Binary, no-pad collations: names compare exactly, and 'x' and 'x ' are different names.
        MARIADB(
                "org.eclipse.persistence.platform.database.MariaDBPlatform",
                "DATETIME(6)",
                "MEDIUMTEXT",
                " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin",
                "MODIFY ROLE_RANK INTEGER NULL");

        /**
         * EclipseLink's platform, by name ({@code eclipselink.target-database}), so that the EclipseLink that
         * runs the unit loads it, whichever copy that is.
         */
        final String platform;
        /** The time columns' type in V1 and V2 (V4 turns them into microseconds, see {@code TimesInUtcMicros}). */
        final String timestampType;

        final String textType;
        final String tableOptions;
        /** The clause of {@code ALTER TABLE RB_ROLE} that lets ROLE_RANK be null (the SQL differs by database). */
        final String rankNullable;

        Vendor(String platform, String timestampType, String textType, String tableOptions, String rankNullable) {
            this.platform = platform;
            this.timestampType = timestampType;
            this.textType = textType;
            this.tableOptions = tableOptions;
            this.rankNullable = rankNullable;
        }

        /** The vendor of a JDBC product name, or {@code null} when Rolebridge does not support it. */
        static Vendor of(String productName) {
            String name = productName.toLowerCase(Locale.ROOT);
            if (name.startsWith("h2")) {
                return H2;
            } else if (name.startsWith("postgresql")) {
                return POSTGRESQL;
            } else if (name.startsWith("mariadb")) {
                return MARIADB; // 10.3 or later: the ids come from sequences
            }
            return null;
        }
    }

    private final DataSource dataSource;
    private final String description;
    private final AutoCloseable resources;

    private Database(DataSource dataSource, String description, AutoCloseable resources) {
        this.dataSource = dataSource;
        this.description = description;
        this.resources = resources;
    }

    /**
     * Finds the database the settings name. Nothing is connected yet, except that the embedded database is
     * opened (its directory created, its pool holding one connection).
     *
     * @throws MembershipStoreException when the DataSource is not in JNDI, no driver accepts the JDBC URL,
     *     or the embedded database cannot be created or opened (another process holds it, say)
     */
    static Database of(StoreSettings settings) {
        if (settings.dataSourceJndiName() != null) {
            String name = settings.dataSourceJndiName();
            return new Database(lookup(name), "the DataSource '" + name + "' (JNDI)", () -> {});
        }
        if (settings.jdbcUrl() != null) {
            String url = StoreSettings.redact(settings.jdbcUrl());
            HikariDataSource pool = pool(
                    new DriverDataSource(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword()),
                    settings.jdbcPoolSize());
            return new Database(
                    pool, url + (settings.jdbcUser() == null ? "" : " as '" + settings.jdbcUser() + "'"), pool);
        }
        if (settings.embeddedDirectory() == null) {
            throw new MembershipStoreException("No database is configured and no directory for the embedded database"
                    + " was given; set dataSource or jdbcUrl, or give the store a work directory");
        }
        Path directory = settings.embeddedDirectory().toAbsolutePath();
        try {
            Files.createDirectories(directory);
        } catch (Exception e) {
            throw new MembershipStoreException(
                    "Cannot create the directory of the embedded membership database, " + directory + ": "
                            + e.getMessage() + "; make it writable or set dataSource or jdbcUrl",
                    e);
        }
        // A pool keeps the file database open between logins (H2 closes a database with its last connection, so
        // the pool keeps one always) and closes it, releasing the file lock, when the store closes. LOCK_TIMEOUT:
        // concurrent logins of one user wait for each other's row lock instead of failing. QUERY_CACHE_SIZE: each
        // connection keeps the statements it parsed (8 by default; a login alone sends more kinds). HikariCP,
        // not H2's own JdbcConnectionPool: that one rolls back every connection it hands out, and a rollback
        // empties the connection's parsed statements, so every statement of every login was parsed again.
        String url = "jdbc:h2:file:" + directory.resolve(StoreSettings.EMBEDDED_DATABASE_NAME)
                + ";LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=" + EMBEDDED_QUERY_CACHE_SIZE;
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("sa");
        h2.setPassword("");
        HikariConfig config = poolConfig(h2, EMBEDDED_POOL_SIZE);
        config.setMinimumIdle(1);
        config.setMaxLifetime(0); // an in-process connection does not go stale; none is retired and replaced
        config.setConnectionTimeout(30_000); // nothing to fail over: a login waits for a busy pool
        // the pool opens the database now, so that a file another process holds fails at once, not after the
        // connection timeout
        config.setInitializationFailTimeout(1);
        String description = "the embedded H2 database " + settings.embeddedDatabaseFile();
        try {
            HikariDataSource pool = new HikariDataSource(config);
            return new Database(pool, description, pool);
        } catch (HikariPool.PoolInitializationException e) {
            throw e.getCause() instanceof SQLException cause
                    ? StoreUnit.cannotConnect(description, cause)
                    : new MembershipStoreException("Cannot open " + description + ": " + e.getMessage(), e);
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Names the database for the log, without secrets. */
    String description() {
        return description;
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            MembershipStore.LOG.warn("Closing {} failed: {}", description, e.toString());
        }
    }

    // The name comes from the filter's own configuration (web.xml), never from a request: looking up the
    // application's DataSource is what the dataSource parameter is for.
    @SuppressWarnings("BanJNDI")
    private static DataSource lookup(String name) {
        NamingException failure = null;
        for (String candidate :
                name.startsWith("java:") ? new String[] {name} : new String[] {name, "java:comp/env/" + name}) {
            try {
                Object found = new InitialContext().lookup(candidate);
                if (found instanceof DataSource dataSource) {
                    return dataSource;
                }
                throw new MembershipStoreException("dataSource: '" + name + "' names a "
                        + found.getClass().getName() + " in JNDI; expected a javax.sql.DataSource");
            } catch (NamingException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        throw new MembershipStoreException(
                "dataSource: '" + name + "' was not found in JNDI (" + failure.getMessage()
                        + "); expected the JNDI name of the application's DataSource, e.g. 'java:comp/env/jdbc/app'"
                        + " with a matching <resource-ref>",
                failure);
    }

    /**
     * A pool of connections to the driver's database: a login reuses a connection instead of opening one
     * (which costs PostgreSQL a backend process). It opens nothing until the first use and keeps no idle
     * connection beyond a minute; a connection the database dropped (a restart) fails its validation and is
     * replaced, and when the database is away a request for a connection fails after two seconds, so a
     * sign-in fails closed instead of hanging.
     */
    private static HikariDataSource pool(DataSource driver, int size) {
        HikariConfig config = poolConfig(driver, size);
        config.setMinimumIdle(0);
        config.setIdleTimeout(60_000);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1); // start without the database; the store opens when it can
        return new HikariDataSource(config);
    }

    private static HikariConfig poolConfig(DataSource connections, int size) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(connections);
        config.setPoolName("rolebridge-" + POOLS.incrementAndGet());
        config.setMaximumPoolSize(size);
        config.setAutoCommit(true);
        return config;
    }

    private static final java.util.concurrent.atomic.AtomicInteger POOLS =
            new java.util.concurrent.atomic.AtomicInteger();

    /** Parsed statements each embedded-database connection keeps: more than all the kinds Rolebridge sends. */
    static final int EMBEDDED_QUERY_CACHE_SIZE = 128;

    /** Connections to the embedded database, at most. */
    static final int EMBEDDED_POOL_SIZE = 16;

    /**
     * The connections the pool draws: each call opens one with the driver that accepts the URL, taken from
     * {@link DriverManager}, else found with {@link ServiceLoader} in this library's and the application's class
     * loaders (a driver in {@code WEB-INF/lib} is invisible to a {@code DriverManager} that the container
     * initialised).
     */
    static final class DriverDataSource implements DataSource {

        private final String url;
        private final Properties credentials = new Properties();
        private volatile Driver driver;

        DriverDataSource(String url, String user, String password) {
            this.url = url;
            if (user != null) {
                credentials.setProperty("user", user);
            }
            if (password != null) {
                credentials.setProperty("password", password);
            }
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = driver().connect(url, credentials);
            if (connection == null) {
                throw new SQLException(
                        "The JDBC driver " + driver.getClass().getName() + " does not accept the URL "
                                + StoreSettings.redact(url),
                        "08001");
            }
            return connection;
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            Properties properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            return driver().connect(url, properties);
        }

        private Driver driver() throws SQLException {
            Driver found = driver;
            if (found != null) {
                return found;
            }
            try {
                found = DriverManager.getDriver(url);
            } catch (SQLException notRegistered) {
                found = load(Thread.currentThread().getContextClassLoader());
                if (found == null) {
                    found = load(DriverDataSource.class.getClassLoader());
                }
                if (found == null) {
                    throw new SQLException(
                            "No JDBC driver on the class path accepts " + StoreSettings.redact(url)
                                    + "; put the database's driver jar in WEB-INF/lib or the server's lib directory",
                            "08001");
                }
            }
            driver = found;
            return found;
        }

        private Driver load(ClassLoader loader) {
            if (loader == null) {
                return null;
            }
            for (Driver candidate : ServiceLoader.load(Driver.class, loader)) {
                try {
                    if (candidate.acceptsURL(url)) {
                        return candidate;
                    }
                } catch (SQLException e) {
                    // not this driver
                }
            }
            return null;
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        /** Ignored: the driver's own connect timeout (a URL parameter for most drivers) applies. */
        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            throw new SQLException("Not a wrapper of " + type.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return type.isInstance(this);
        }
    }
}
