package dev.rolebridge.internal.store;

import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.SessionCustomizer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The start of a store: connects to the database, recognises it, creates or upgrades the tables with
 * Flyway, and bootstraps the EclipseLink persistence unit in code ({@link StorePersistenceUnit}). Holds what
 * {@link MembershipStore#close()} releases.
 */
final class StoreUnit implements AutoCloseable {

    final Database database;
    final EntityManagerFactory entityManagers;

    private StoreUnit(Database database, EntityManagerFactory entityManagers) {
        this.database = database;
        this.entityManagers = entityManagers;
    }

    /**
     * Connects to the database the settings name, with every connection going through {@code decorator}'s
     * DataSource (the identity but in tests), creates or upgrades the tables, starts the persistence unit,
     * and logs at {@code INFO} which database is used.
     *
     * @throws MembershipStoreException when the database cannot be reached or its tables cannot be created
     */
    static StoreUnit start(StoreSettings settings, UnaryOperator<DataSource> decorator) {
        Objects.requireNonNull(settings, "settings");
        Database database = Database.of(settings);
        try {
            DataSource dataSource = decorator.apply(database.dataSource());
            String product;
            Database.Vendor vendor;
            try (Connection connection = dataSource.getConnection()) {
                DatabaseMetaData metaData = connection.getMetaData();
                product = metaData.getDatabaseProductName() + " " + metaData.getDatabaseProductVersion();
                vendor = Database.Vendor.of(metaData.getDatabaseProductName());
            } catch (SQLException e) {
                throw cannotConnect(database.description(), e);
            }
            if (vendor == null) {
                throw new MembershipStoreException("The membership database, " + database.description() + ", is "
                        + product + "; Rolebridge can create its tables on H2, PostgreSQL and MariaDB."
                        + " Point dataSource or jdbcUrl at one of those, or remove both to use the embedded database.");
            }
            String schema = migrate(dataSource, vendor, database, "latest");
            EntityManagerFactory entityManagers = entityManagerFactory(dataSource, vendor, database);
            MembershipStore.LOG.info(
                    "Rolebridge stores memberships in {} ({}, schema version {})",
                    database.description(),
                    product,
                    schema);
            return new StoreUnit(database, entityManagers);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The failure to reach the database {@code description} names, with the database's own reason. */
    static MembershipStoreException cannotConnect(String description, SQLException e) {
        return new MembershipStoreException(
                "Cannot connect to the membership database, " + description + ": " + Transactions.rootSqlMessage(e)
                        + ". Check that the database runs and accepts connections,"
                        + " and the dataSource or jdbcUrl, jdbcUser and jdbcPassword parameters.",
                e);
    }

    /** Creates or upgrades the tables up to {@code targetVersion} ({@code "latest"}, or e.g. {@code "2"} in tests). */
    static String migrate(DataSource dataSource, Database.Vendor vendor, Database database, String targetVersion) {
        try {
            MigrateResult result = Flyway.configure(StoreUnit.class.getClassLoader())
                    .target(targetVersion)
                    .dataSource(dataSource)
                    .locations("classpath:dev/rolebridge/store/migration")
                    .table("rb_schema_history")
                    .javaMigrations(new TimesInUtcMicros(vendor))
                    .placeholders(Map.of(
                            "rb_timestamp",
                            vendor.timestampType,
                            "rb_text",
                            vendor.textType,
                            "rb_table_options",
                            vendor.tableOptions,
                            "rb_role_rank_nullable",
                            vendor.rankNullable))
                    // The application's schema usually has tables of its own: start Rolebridge's history at 0.
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        } catch (FlywayException e) {
            throw new MembershipStoreException(
                    "Cannot create or upgrade Rolebridge's tables (RB_*) in " + database.description() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** What only an EclipseLink that is one copy can take: Rolebridge's session log and customizer. */
    private static void customize(Map<String, Object> properties, Database.Vendor vendor) {
        properties.put(PersistenceUnitProperties.SESSION_CUSTOMIZER, (SessionCustomizer) session -> {
            session.setSessionLog(new Slf4jSessionLog());
            // A read that fails because the database is gone fails at once instead of being retried for
            // 15 seconds: the login fails closed, and the next one connects afresh.
            DatabaseLogin login = (DatabaseLogin) session.getDatasourceLogin();
            login.setQueryRetryAttemptCount(0);
            if (vendor == Database.Vendor.MARIADB) {
                // InnoDB's default, REPEATABLE READ, locks the gaps next to rows it reads for update: two first
                // logins of one user would deadlock on the gap where the user's row goes, and logins of
                // different users on the gaps between their memberships. READ COMMITTED, as PostgreSQL and H2
                // use, locks rows only; the user row lock is all a login needs.
                login.setTransactionIsolation(DatabaseLogin.TRANSACTION_READ_COMMITTED);
            }
        });
    }

    /** Loads EclipseLink's classes from one loader (a server's) and everything else from the application's. */
    private static final class EclipseLinkFirst extends ClassLoader {
        private final ClassLoader eclipseLink;

        EclipseLinkFirst(ClassLoader eclipseLink, ClassLoader application) {
            super(application);
            this.eclipseLink = eclipseLink;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.eclipse.persistence.")) {
                return eclipseLink.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    private static EntityManagerFactory entityManagerFactory(
            DataSource dataSource, Database.Vendor vendor, Database database) {
        Map<String, Object> properties = new HashMap<>();
        // One EclipseLink session per store: EclipseLink shares sessions of the same name across factories,
        // server-wide where the server provides EclipseLink.
        properties.put(PersistenceUnitProperties.SESSION_NAME, "rolebridge-" + UUID.randomUUID());
        properties.put(PersistenceUnitProperties.WEAVING, "false");
        properties.put(PersistenceUnitProperties.LOGGING_PARAMETERS, "false"); // bind values are user data
        // Nothing cached beyond a transaction: other nodes and administrators change the same rows.
        properties.put(PersistenceUnitProperties.CACHE_SHARED_DEFAULT, "false");
        properties.put(PersistenceUnitProperties.BATCH_WRITING, "JDBC");
        properties.put(PersistenceUnitProperties.BATCH_WRITING_SIZE, "1000");
        properties.put(PersistenceUnitProperties.TARGET_DATABASE, vendor.platform);
        ClassLoader providerLoader = PersistenceProvider.class.getClassLoader();
        StorePersistenceUnit unit;
        if (providerLoader == org.eclipse.persistence.internal.databaseaccess.Platform.class.getClassLoader()) {
            customize(properties, vendor);
            unit = new StorePersistenceUnit(dataSource);
        } else {
            // EclipseLink's classes come from two copies: the server exposes part of its own to the application
            // (Open Liberty with its persistence feature) and the rest comes from the WAR. The server's copy, which
            // provides the JPA entry point, must then load every EclipseLink class itself, and gets none of
            // Rolebridge's EclipseLink classes (the session log and customizer). Times are exact all the same:
            // they are plain numbers to EclipseLink (UtcMicros).
            unit = new StorePersistenceUnit(
                    dataSource, new EclipseLinkFirst(providerLoader, StorePersistenceUnit.class.getClassLoader()));
            MembershipStore.LOG.warn("The membership store runs on the server's own EclipseLink, which Rolebridge"
                    + " cannot customise: EclipseLink logs through the server's log, and on MariaDB the connections"
                    + " keep their isolation level");
        }
        EntityManagerFactory factory = new PersistenceProvider().createContainerEntityManagerFactory(unit, properties);
        try {
            factory.createEntityManager().close(); // deploys the unit now, so mapping errors surface at start
        } catch (RuntimeException e) {
            factory.close();
            throw new MembershipStoreException(
                    "Cannot start the persistence unit of the membership store on " + database.description() + ": "
                            + Transactions.describe(e),
                    e);
        }
        return factory;
    }

    /** Releases the persistence unit and, for the embedded database, closes it. */
    @Override
    public void close() {
        try {
            entityManagers.close();
        } finally {
            database.close();
        }
    }
}
