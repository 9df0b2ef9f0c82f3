package dev.rolebridge.store;

import dev.rolebridge.RolebridgeException;
import dev.rolebridge.mapping.AppGroup;
import dev.rolebridge.mapping.MappingConfig;
import dev.rolebridge.mapping.MappingOutcome;
import dev.rolebridge.mapping.MappingOutcome.Step;
import dev.rolebridge.mapping.UserState;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.LockModeType;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.eclipse.persistence.exceptions.EclipseLinkException;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.SessionCustomizer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted memberships: users, application groups, roles, the group→role grants, the mapping rules
 * and the audit trail, in the application's database or an embedded one; and the back-channel logouts that
 * the application's nodes share. Open one store per filter, seed it with the configuration at start, and
 * sync each login in one transaction:
 *
 * <pre>{@code
 * MembershipStore store = MembershipStore.open(StoreSettings.fromParameters(params, workDirectory));
 * store.seed(mappingConfig);
 * GroupMapper mapper = new GroupMapper(mappingConfig);
 * SyncRecord stored = store.sync(login, snapshot -> mapper.map(login, snapshot.appGroups(), snapshot.user()));
 * // ...
 * store.close();
 * }</pre>
 *
 * <h2>Database</h2>
 * {@link #open} connects, creates or upgrades the tables (Flyway migrations under
 * {@code dev/rolebridge/store/migration}, history in {@code rb_schema_history}; every table is named
 * {@code RB_*}), and names the database in an {@code INFO} line: H2 (embedded), PostgreSQL, or MariaDB 10.3
 * or later (the ids come from sequences, which MySQL lacks). The JPA unit (EclipseLink) is bootstrapped in code: there is no
 * {@code persistence.xml} for a Jakarta EE server to deploy, and no shared cache, so several application
 * nodes may share one database.
 *
 * <h2>A login</h2>
 * {@link #sync} runs in one transaction: it locks the user's row (creating the user at the first login),
 * reads the application groups and the user's memberships, lets the caller decide, and writes only the
 * difference: groups to create, memberships to add, memberships to remove (only those of source
 * {@link MembershipSource#OIDC}: {@code MANUAL} and {@code SCIM} memberships are never touched by a login),
 * the role, the login time, and an audit event when anything changed. The number of statements does not
 * grow with the number of memberships that stay as they are. Concurrent logins of one user wait for each
 * other; a duplicate key or deadlock (two first logins at once) is retried. On any other failure the
 * transaction is rolled back, nothing of the login is kept, and a
 * {@link MembershipSyncException} says why; the next login opens a new connection, so a database that comes
 * back needs no restart.
 *
 * <h2>Seeding and precedence</h2>
 * {@link #seed} writes the configuration into the tables at every start, adding what is missing and never
 * removing what an administrator wrote; see its documentation for which rows win.
 *
 * <h2>Back-channel logouts</h2>
 * The provider sends a logout token to one node, while the user's sessions may live on others. The node that
 * receives it calls {@link #recordLogout}, which also tells a replayed token apart, whichever node saw it
 * first; every node asks {@link #logoutsSince} for the logouts after the last one it handled and ends its
 * own sessions; {@link #deleteLogoutsBefore} keeps the table small. Times are kept in UTC to the
 * microsecond, whatever the JVM's time zone.
 *
 * <p>Instances are thread-safe.
 */
public final class MembershipStore implements AutoCloseable {

    /** The audit actor of a login sync. */
    public static final String ACTOR_LOGIN = "login";

    /** The audit actor of a change made through this API by an administrator or the application. */
    public static final String ACTOR_ADMIN = "admin";

    /** The widest group name the tables hold (a unique utf8mb4 index on MariaDB allows no more). */
    public static final int MAX_GROUP_NAME_LENGTH = 768;

    /** The widest issuer a back-channel logout holds. */
    public static final int MAX_ISSUER_LENGTH = 512;

    /** The widest subject, session id ({@code sid}) and token id ({@code jti}) a back-channel logout holds. */
    public static final int MAX_LOGOUT_CLAIM_LENGTH = 255;

    static final Logger LOG = dev.rolebridge.Logs.escaping(LoggerFactory.getLogger(MembershipStore.class));

    /** How often a transaction is tried when it fails on a duplicate key or a deadlock. */
    static final int MAX_ATTEMPTS = 3;

    private final Database database;
    private final EntityManagerFactory entityManagers;
    private volatile boolean closed;

    private MembershipStore(Database database, EntityManagerFactory entityManagers) {
        this.database = database;
        this.entityManagers = entityManagers;
    }

    /**
     * Connects to the database the settings name, creates or upgrades the tables, and logs at {@code INFO}
     * which database is used (for the embedded one: its file).
     *
     * @throws MembershipStoreException when the database cannot be reached or its tables cannot be created
     */
    public static MembershipStore open(StoreSettings settings) {
        return open(settings, UnaryOperator.identity());
    }

    /** As {@link #open(StoreSettings)}, with every connection going through {@code decorator}'s DataSource (tests). */
    static MembershipStore open(StoreSettings settings, UnaryOperator<DataSource> decorator) {
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
                throw new MembershipStoreException("Cannot connect to the membership database, " + database.description()
                        + ": " + sqlMessage(e) + ". Check that the database runs and accepts connections, and the"
                        + " dataSource or jdbcUrl, jdbcUser and jdbcPassword parameters.", e);
            }
            if (vendor == null) {
                throw new MembershipStoreException("The membership database, " + database.description() + ", is "
                        + product + "; Rolebridge can create its tables on H2, PostgreSQL and MariaDB."
                        + " Point dataSource or jdbcUrl at one of those, or remove both to use the embedded database.");
            }
            String schema = migrate(dataSource, vendor, database);
            EntityManagerFactory entityManagers = entityManagerFactory(dataSource, vendor, database);
            LOG.info("Rolebridge stores memberships in {} ({}, schema version {})", database.description(), product, schema);
            return new MembershipStore(database, entityManagers);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static String migrate(DataSource dataSource, Database.Vendor vendor, Database database) {
        return migrate(dataSource, vendor, database, "latest");
    }

    /** Creates or upgrades the tables up to {@code targetVersion} ({@code "latest"}, or e.g. {@code "2"} in tests). */
    static String migrate(DataSource dataSource, Database.Vendor vendor, Database database, String targetVersion) {
        try {
            MigrateResult result = Flyway.configure(MembershipStore.class.getClassLoader())
                    .target(targetVersion)
                    .dataSource(dataSource)
                    .locations("classpath:dev/rolebridge/store/migration")
                    .table("rb_schema_history")
                    .placeholders(Map.of("rb_timestamp", vendor.timestampType, "rb_text", vendor.textType,
                            "rb_table_options", vendor.tableOptions, "rb_role_rank_nullable", vendor.rankNullable))
                    // The application's schema usually has tables of its own: start Rolebridge's history at 0.
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        } catch (FlywayException e) {
            throw new MembershipStoreException("Cannot create or upgrade Rolebridge's tables (RB_*) in "
                    + database.description() + ": " + e.getMessage(), e);
        }
    }

    /** What only an EclipseLink that is one copy can take: Rolebridge's platform subclasses, log and customizer. */
    private static void customize(Map<String, Object> properties, Database.Vendor vendor) {
        // The vendor's platform, but with the UTC times bound and read as they are, whatever the JVM's zone.
        properties.put(PersistenceUnitProperties.TARGET_DATABASE, StorePlatforms.of(vendor));
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

    private static EntityManagerFactory entityManagerFactory(DataSource dataSource, Database.Vendor vendor,
            Database database) {
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
        ClassLoader providerLoader = PersistenceProvider.class.getClassLoader();
        StorePersistenceUnit unit;
        if (providerLoader == org.eclipse.persistence.internal.databaseaccess.Platform.class.getClassLoader()) {
            customize(properties, vendor);
            unit = new StorePersistenceUnit(dataSource);
        } else {
            // EclipseLink's classes come from two copies: the server exposes part of its own to the application
            // (Open Liberty with its persistence feature) and the rest comes from the WAR. The server's copy, which
            // provides the JPA entry point, must then load every EclipseLink class itself, and gets none of
            // Rolebridge's EclipseLink subclasses.
            properties.put(PersistenceUnitProperties.TARGET_DATABASE, StorePlatforms.stockOf(vendor));
            unit = new StorePersistenceUnit(dataSource,
                    new EclipseLinkFirst(providerLoader, StorePersistenceUnit.class.getClassLoader()));
            LOG.warn("The membership store runs on the server's own EclipseLink, which Rolebridge cannot extend: "
                    + "times are stored in the JVM's time zone (run the server in UTC)");
        }
        EntityManagerFactory factory = new PersistenceProvider().createContainerEntityManagerFactory(unit, properties);
        try {
            factory.createEntityManager().close(); // deploys the unit now, so mapping errors surface at start
        } catch (RuntimeException e) {
            factory.close();
            throw new MembershipStoreException("Cannot start the persistence unit of the membership store on "
                    + database.description() + ": " + describe(e), e);
        }
        return factory;
    }

    /** What {@link #sync} passes to the decision: the state before the login. */
    public record Snapshot(boolean firstLogin, List<AppGroup> appGroups, UserState user) {

        public Snapshot {
            appGroups = List.copyOf(appGroups);
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * What {@link #sync} stored.
     *
     * @param userId the store's id of the user
     * @param outcome the decision that was applied
     * @param userGroups every group the user is in after the sync, from every source, in name order
     */
    public record SyncRecord(long userId, MappingOutcome outcome, List<String> userGroups) {

        public SyncRecord {
            Objects.requireNonNull(outcome, "outcome");
            userGroups = List.copyOf(userGroups);
        }
    }

    /**
     * Records one login, in one transaction. Finds or creates the user (issuer and subject), updates the
     * username, e-mail and login time, locks the user's row so concurrent logins of the same user run one
     * after the other, and calls {@code decide} with the application groups (each with its stored grant) and
     * the user's memberships: those of source {@code OIDC} are {@link UserState#syncedGroups()}, the others
     * {@link UserState#otherGroups()}. Then it applies the outcome: creates {@code toCreate}, adds
     * {@code toAdd} and removes {@code toRemove} as {@code OIDC} memberships, stores the primary role, and
     * writes an audit event (actor {@value #ACTOR_LOGIN}) if {@link MappingOutcome#changed()}.
     *
     * <p>{@code decide} runs inside the transaction and may run again (with a fresh snapshot) when the
     * transaction is retried after a duplicate key or deadlock, at most {@value #MAX_ATTEMPTS} times in all;
     * it must not have side effects of its own.
     *
     * @param decide maps the state before the login to the changes, typically
     *     {@code s -> mapper.map(login, s.appGroups(), s.user())}
     * @throws MembershipSyncException when the login cannot be recorded (nothing of it is stored), or as
     *     thrown by {@code decide}
     */
    public SyncRecord sync(LoginIdentity login, Function<Snapshot, MappingOutcome> decide) {
        return sync(login, decide, Integer.MAX_VALUE);
    }

    /**
     * As {@link #sync(LoginIdentity, Function)}, with at most {@code maxCreatedGroups} app groups created by
     * logins in all ({@code autoCreateGroups}): a login whose groups to create would pass that bound is refused
     * with a {@link MembershipSyncException} and nothing of it is stored. (Two logins at the same moment may
     * together pass it by the groups of one.)
     */
    public SyncRecord sync(LoginIdentity login, Function<Snapshot, MappingOutcome> decide, int maxCreatedGroups) {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(decide, "decide");
        SyncRecord stored = transaction("record the login of subject '" + login.subject() + "' (issuer '"
                + login.issuer() + "')", MembershipSyncException::new,
                em -> syncOnce(em, login, decide, maxCreatedGroups));
        if (LOG.isDebugEnabled()) {
            MappingOutcome outcome = stored.outcome();
            LOG.debug("Stored the login of subject '{}': added {}, removed {}, created {}, role {} -> {}",
                    login.subject(), outcome.toAdd(), outcome.toRemove(),
                    outcome.toCreate().stream().map(AppGroup::name).toList(), outcome.previousRole(), outcome.primaryRole());
        }
        return stored;
    }

    private SyncRecord syncOnce(EntityManager em, LoginIdentity login, Function<Snapshot, MappingOutcome> decide,
            int maxCreatedGroups) {
        LocalDateTime now = now();
        UserEntity user = lockUser(em, login.issuer(), login.subject());
        boolean firstLogin = user == null;

        Map<String, Long> groupIds = new HashMap<>();
        List<AppGroup> appGroups = appGroups(em, groupIds);
        Map<String, Set<MembershipSource>> memberships = new TreeMap<>();
        if (!firstLogin) {
            for (Object[] row : em.createNamedQuery(MembershipEntity.OF_USER, Object[].class)
                    .setParameter("user", user.id).getResultList()) {
                memberships.computeIfAbsent((String) row[0], name -> EnumSet.noneOf(MembershipSource.class))
                        .add((MembershipSource) row[1]);
            }
        }
        List<String> synced = new ArrayList<>();
        List<String> other = new ArrayList<>();
        memberships.forEach((group, sources) -> {
            if (sources.contains(MembershipSource.OIDC)) {
                synced.add(group);
            }
            if (sources.stream().anyMatch(source -> source != MembershipSource.OIDC)) {
                other.add(group);
            }
        });
        UserState state = new UserState(firstLogin, new LinkedHashSet<>(synced), new LinkedHashSet<>(other),
                firstLogin ? null : user.primaryRole);
        MappingOutcome outcome = Objects.requireNonNull(decide.apply(new Snapshot(firstLogin, appGroups, state)),
                "decide returned null");

        if (firstLogin) {
            user = new UserEntity(login.issuer(), login.subject(), login.username(), now);
            em.persist(user);
        }
        user.username = login.username();
        user.email = login.email();
        user.lastLogin = now;
        user.primaryRole = outcome.primaryRole();
        if (firstLogin) {
            em.flush(); // the row memberships refer to
        }

        List<String> created = createGroups(em, outcome.toCreate(), groupIds, now, maxCreatedGroups);
        if (!outcome.toRemove().isEmpty()) {
            List<Long> leaving = new ArrayList<>();
            for (String group : outcome.toRemove()) {
                Set<MembershipSource> sources = memberships.get(group);
                if (sources == null || !sources.contains(MembershipSource.OIDC)) {
                    throw new MembershipSyncException("The mapping removes app group '" + group + "', which the user"
                            + " is not in through a login; nothing was stored");
                }
                leaving.add(groupIds.get(group));
            }
            em.createNamedQuery(MembershipEntity.DELETE_OF_SOURCE)
                    .setParameter("user", user.id).setParameter("source", MembershipSource.OIDC)
                    .setParameter("groups", leaving).executeUpdate();
            outcome.toRemove().forEach(group -> memberships.get(group).remove(MembershipSource.OIDC));
        }
        for (String group : outcome.toAdd()) {
            Long groupId = groupIds.get(group);
            if (groupId == null) {
                throw new MembershipSyncException("The mapping adds the user to app group '" + group + "', which does"
                        + " not exist and is not to be created; nothing was stored");
            }
            if (memberships.getOrDefault(group, Set.of()).contains(MembershipSource.OIDC)) {
                throw new MembershipSyncException("The mapping adds the user to app group '" + group + "', which the"
                        + " user is in through a login already; nothing was stored");
            }
            em.persist(new MembershipEntity(user.id, groupId, MembershipSource.OIDC, now));
            memberships.computeIfAbsent(group, name -> EnumSet.noneOf(MembershipSource.class)).add(MembershipSource.OIDC);
        }
        if (outcome.changed()) {
            em.persist(auditEvent(now, ACTOR_LOGIN, user, outcome.toAdd(), outcome.toRemove(), created,
                    outcome.previousRole(), outcome.primaryRole(), outcome.trace().stream()
                            .filter(step -> step.kind() == Step.Kind.FIRED || step.kind() == Step.Kind.SKIPPED)
                            .map(Step::toString).toList()));
        }
        List<String> userGroups = memberships.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        return new SyncRecord(user.id, outcome, userGroups);
    }

    /** Creates the groups a login maps to that do not exist yet ({@code autoCreateGroups}), with their grants. */
    private List<String> createGroups(EntityManager em, List<AppGroup> toCreate, Map<String, Long> groupIds,
            LocalDateTime now, int maxCreatedGroups) {
        if (toCreate.isEmpty()) {
            return List.of();
        }
        long existing = em.createNamedQuery(GroupEntity.COUNT_BY_ORIGIN, Long.class)
                .setParameter("origin", Origin.LOGIN).getSingleResult();
        if (existing + toCreate.size() > maxCreatedGroups) {
            throw new MembershipSyncException("The login would create " + toCreate.size() + " app groups"
                    + " (autoCreateGroups) beside the " + existing + " that logins created before, more than"
                    + " maxCreatedGroups (" + maxCreatedGroups + "); the login is refused and nothing is stored."
                    + " Map the provider's groups with groupMappings, or raise maxCreatedGroups.");
        }
        List<String> created = new ArrayList<>();
        Map<GroupEntity, Set<String>> grants = new IdentityHashMap<>();
        for (AppGroup group : toCreate) {
            if (groupIds.containsKey(group.name())) {
                continue;
            }
            checkGroupName(group.name(), MembershipSyncException::new);
            GroupEntity entity = new GroupEntity(group.name(), Origin.LOGIN, now);
            em.persist(entity);
            groupIds.put(group.name(), entity.id);
            created.add(group.name());
            if (!group.grantedRoles().isEmpty()) {
                grants.put(entity, group.grantedRoles());
            }
        }
        if (!grants.isEmpty()) {
            em.flush(); // the groups the grants refer to
            Map<String, Long> roleIds = roleIds(em, grants.values().stream().flatMap(Set::stream).toList());
            grants.forEach((group, roles) -> roles.forEach(role -> {
                Long roleId = roleIds.get(role);
                if (roleId != null) { // a role missing from RB_ROLE (never seeded) is granted by configuration only
                    em.persist(new GroupRoleEntity(group.id, roleId, Origin.CONFIG));
                }
            }));
        }
        return created;
    }

    /**
     * Writes the configuration into the tables; run it at every start. Idempotent, and safe when several
     * nodes start at once. What it writes, and who wins:
     * <ul>
     *   <li><b>Roles</b> ({@code rolePriority}): missing roles are added with their rank; the ranks of roles the
     *       configuration added follow {@code rolePriority}. Roles no longer configured stay.</li>
     *   <li><b>Groups</b>: the role groups (one per role but the lowest), the default group and the groups
     *       named in {@code groupRoles} are added when missing. No group is ever deleted or renamed.</li>
     *   <li><b>Grants</b>: the role groups, the default group (the lowest role) and {@code groupRoles} are
     *       granted their role when the group has no grant yet. <em>An existing grant in the database wins</em>,
     *       whoever wrote it: a later change of {@code groupRoles} for that group is logged as a warning and
     *       not applied (change or delete the row in {@code RB_GROUP_ROLE} to apply it).</li>
     *   <li><b>Mapping rules</b> ({@code groupMappings}, {@code claimRules}, {@code hardcodedGroups},
     *       {@code defaultGroup}): the rows of origin {@link Origin#CONFIG} mirror the configuration and are
     *       rewritten when it changed; rows of origin {@link Origin#ADMIN} are never touched.</li>
     * </ul>
     *
     * @throws MembershipStoreException when the database fails; nothing is written then
     */
    public void seed(MappingConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.maxGroupNameLength() > MAX_GROUP_NAME_LENGTH) {
            LOG.warn("maxGroupNameLength is {}, but the membership store holds group names of at most {} characters;"
                    + " a login with a longer name will fail", config.maxGroupNameLength(), MAX_GROUP_NAME_LENGTH);
        }
        Seeding result = transaction("seed the membership store from the configuration", MembershipStoreException::new,
                em -> Seeding.apply(em, config, now()));
        result.kept().forEach(line -> LOG.warn("Configuration not applied: {}", line));
        if (result.changes() > 0) {
            LOG.info("Seeded the membership store from the configuration: {} roles, {} groups and {} grants added,"
                    + " {} role ranks updated, {} mapping rules rewritten", result.roles(), result.groups(),
                    result.grants(), result.ranks(), result.rules());
        } else {
            LOG.debug("The membership store already holds the configuration");
        }
    }

    /** Every mapping rule in the table: the configuration's first, in order, then the administrators'. */
    public List<MappingRule> mappingRules() {
        return read(em -> em.createNamedQuery(MappingRuleEntity.ALL, MappingRuleEntity.class).getResultList()
                .stream()
                .sorted(Comparator.comparing((MappingRuleEntity r) -> r.origin != Origin.CONFIG)
                        .thenComparingInt(r -> r.position).thenComparingLong(r -> r.id))
                .map(MappingRuleEntity::toRule).toList());
    }

    /** The user of this issuer and subject, with every membership, or empty when the user never logged in. */
    public Optional<StoredUser> findUser(String issuer, String subject) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        return read(em -> {
            List<UserEntity> found = em.createNamedQuery(UserEntity.BY_ACCOUNT, UserEntity.class)
                    .setParameter("issuer", issuer).setParameter("subject", subject).getResultList();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            UserEntity user = found.get(0);
            List<StoredUser.Membership> memberships = em.createNamedQuery(MembershipEntity.OF_USER, Object[].class)
                    .setParameter("user", user.id).getResultList().stream()
                    .map(row -> new StoredUser.Membership((String) row[0], (MembershipSource) row[1]))
                    .sorted(Comparator.comparing(StoredUser.Membership::group).thenComparing(StoredUser.Membership::source))
                    .toList();
            return Optional.of(new StoredUser(user.id, user.issuer, user.subject, user.username, user.email,
                    user.primaryRole, user.lastLogin == null ? null : user.lastLogin.toInstant(ZoneOffset.UTC),
                    user.active, memberships));
        });
    }

    /**
     * Puts an existing user in an existing group as a {@link MembershipSource#MANUAL} membership, which no
     * login removes, and records an audit event (actor {@value #ACTOR_ADMIN}). Nothing happens when the
     * membership exists already; nothing else is created.
     *
     * @throws MembershipStoreException when the user or the group does not exist, or the database fails
     */
    public void addManualMembership(String issuer, String subject, String groupName) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(groupName, "groupName");
        transaction("add subject '" + subject + "' to app group '" + groupName + "'", MembershipStoreException::new, em -> {
            UserEntity user = lockUser(em, issuer, subject);
            if (user == null) {
                throw new MembershipStoreException("No user with subject '" + subject + "' and issuer '" + issuer
                        + "' exists; users are created by their first login");
            }
            GroupEntity group = group(em, groupName);
            if (group == null) {
                throw new MembershipStoreException("App group '" + groupName + "' does not exist; create it first");
            }
            MembershipEntity.Key key = new MembershipEntity.Key();
            key.userId = user.id;
            key.groupId = group.id;
            key.source = MembershipSource.MANUAL;
            if (em.find(MembershipEntity.class, key) == null) {
                LocalDateTime now = now();
                em.persist(new MembershipEntity(user.id, group.id, MembershipSource.MANUAL, now));
                em.persist(auditEvent(now, ACTOR_ADMIN, user, List.of(groupName), List.of(), List.of(),
                        user.primaryRole, user.primaryRole, List.of()));
            }
            return null;
        });
    }

    /**
     * Creates an application group as an administrator or the application would ({@link Origin#ADMIN}), or,
     * when it exists, sets its grant. A grant written here wins over {@code groupRoles} at every later start.
     *
     * @param grantedRoleOrNull the role the group grants, which must exist (roles come from
     *     {@code rolePriority}, the declared roles and {@code groupRoles}), or {@code null} for none (existing
     *     grants are then removed)
     * @throws MembershipStoreException when the role does not exist, the name is blank or too long
     *     ({@value #MAX_GROUP_NAME_LENGTH} characters at most), or the database fails
     */
    public void createGroup(String name, String grantedRoleOrNull) {
        createGroupGranting(name, grantedRoleOrNull == null ? List.of() : List.of(grantedRoleOrNull));
    }

    /**
     * As {@link #createGroup(String, String)}, with every role the group grants: afterwards the group grants
     * exactly {@code grantedRoles} (none when empty).
     *
     * @throws MembershipStoreException when a role does not exist, the name is blank or too long, or the
     *     database fails; nothing is changed then
     */
    public void createGroupGranting(String name, Collection<String> grantedRoles) {
        Objects.requireNonNull(name, "name");
        Set<String> wanted = new LinkedHashSet<>(Objects.requireNonNull(grantedRoles, "grantedRoles"));
        checkGroupName(name, MembershipStoreException::new);
        transaction("create app group '" + name + "'", MembershipStoreException::new, em -> {
            GroupEntity group = group(em, name);
            if (group == null) {
                group = new GroupEntity(name, Origin.ADMIN, now());
                em.persist(group);
                em.flush();
            }
            Map<String, Long> roleIds = roleIds(em, wanted);
            for (String role : wanted) {
                if (!roleIds.containsKey(role)) {
                    throw new MembershipStoreException("Role '" + role + "' does not exist; the roles are those of"
                            + " rolePriority, the application's declared roles and groupRoles, seeded at start");
                }
            }
            Set<Long> keep = new HashSet<>(roleIds.values());
            for (GroupRoleEntity grant : em.createNamedQuery(GroupRoleEntity.OF_GROUP, GroupRoleEntity.class).setParameter("group", group.id).getResultList()) {
                if (keep.remove(grant.roleId)) {
                    grant.origin = Origin.ADMIN;
                } else {
                    em.remove(grant);
                }
            }
            for (Long roleId : keep) {
                em.persist(new GroupRoleEntity(group.id, roleId, Origin.ADMIN));
            }
            return null;
        });
    }

    /** The audit events of a user, oldest first. */
    public List<AuditEvent> auditEvents(String issuer, String subject) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        return read(em -> em.createNamedQuery(AuditEventEntity.OF_ACCOUNT, AuditEventEntity.class)
                .setParameter("issuer", issuer).setParameter("subject", subject).getResultList().stream()
                .map(e -> new AuditEvent(e.time.toInstant(ZoneOffset.UTC), e.actor, e.issuer, e.subject,
                        AuditEvent.decode(e.added), AuditEvent.decode(e.removed), AuditEvent.decode(e.created),
                        e.roleBefore, e.roleAfter, AuditEvent.decode(e.rulesFired)))
                .toList());
    }

    /**
     * Records a validated back-channel logout for every node on this database to act on (see
     * {@link #logoutsSince}), in one transaction. A logout token is identified by its issuer and {@code jti},
     * and the pair is unique in {@code RB_LOGOUT_EVENT}: of all the nodes that receive the same token, at the
     * same time or not, exactly one records it and the others learn that it is a replay. A node that loses
     * the race to the unique key meets a duplicate key, retries, and then finds the other node's row.
     *
     * @param subject the token's {@code sub}, or {@code null}
     * @param sid the token's {@code sid}, or {@code null}; a token names a subject, a session or both
     * @param at when the logout happened; kept in UTC, to the microsecond
     * @return {@code true} when recorded; {@code false} when a token with this {@code jti} from this issuer
     *     was recorded before, by this node or another (a replay), and nothing was written
     * @throws MembershipStoreException when the token names neither subject nor session, a value is wider
     *     than its column (issuer {@value #MAX_ISSUER_LENGTH} characters, the others
     *     {@value #MAX_LOGOUT_CLAIM_LENGTH}), or the database fails; nothing is recorded then
     */
    public boolean recordLogout(String issuer, String subject, String sid, String jti, Instant at) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(at, "at");
        if (subject == null && sid == null) {
            throw new MembershipStoreException("A back-channel logout names a subject (sub), a session (sid) or both;"
                    + " this one, from issuer '" + issuer + "', names neither");
        }
        checkLogoutClaim("iss", issuer, MAX_ISSUER_LENGTH);
        checkLogoutClaim("sub", subject, MAX_LOGOUT_CLAIM_LENGTH);
        checkLogoutClaim("sid", sid, MAX_LOGOUT_CLAIM_LENGTH);
        checkLogoutClaim("jti", jti, MAX_LOGOUT_CLAIM_LENGTH);
        LocalDateTime time = utc(at);
        boolean recorded = transaction("record a back-channel logout from issuer '" + issuer + "'",
                MembershipStoreException::new, em -> {
                    if (!em.createNamedQuery(LogoutEventEntity.ID_BY_TOKEN, Long.class).setParameter("issuer", issuer).setParameter("jti", jti).getResultList().isEmpty()) {
                        return false;
                    }
                    // A node that records the same token meanwhile makes the commit fail on RB_LOGOUT_EVENT_TOKEN_UK;
                    // the transaction is retried, and the query above then finds that node's row.
                    em.persist(new LogoutEventEntity(issuer, subject, sid, jti, time));
                    return true;
                });
        if (!recorded) {
            LOG.debug("A back-channel logout token from issuer '{}' was recorded before: a replay", issuer);
        }
        return recorded;
    }

    /**
     * The logouts recorded strictly after {@code since}, oldest first (equal times in a stable order), at most
     * {@code limit} of them: each node asks for those after the last one it handled and ends its own sessions
     * of each. Times are compared in UTC to the microsecond.
     *
     * <p>The times are those passed to {@link #recordLogout}, usually each node's own clock, and a
     * transaction may commit after another with a later time: poll with some overlap ({@code since} a little
     * before the last time handled), as ending a session twice does no harm. Several logouts may share one
     * time; when {@code limit} cuts such a group, ask again from a time before it.
     *
     * @param limit the most events to return, 1 or more
     * @throws MembershipStoreException when the database fails
     */
    public List<LogoutEvent> logoutsSince(Instant since, int limit) {
        Objects.requireNonNull(since, "since");
        if (limit < 1) {
            throw new IllegalArgumentException("limit is " + limit + "; expected 1 or more");
        }
        LocalDateTime after = utc(since);
        return read(em -> em.createNamedQuery(LogoutEventEntity.SINCE, LogoutEventEntity.class)
                .setParameter("since", after).setMaxResults(limit).getResultList().stream()
                .map(e -> new LogoutEvent(e.issuer, e.subject, e.sid, e.loggedOutAt.toInstant(ZoneOffset.UTC)))
                .toList());
    }

    /**
     * The logouts whose id is greater than {@code afterId}, in id order, at most {@code limit}: ids come from
     * the database's sequence, one per row, so they follow the database's order on every node, whatever the
     * nodes' clocks say. A transaction that took an id may commit after one that took a later id: read with a
     * little overlap ({@code afterId} somewhat below the last id handled), as ending a session twice does no
     * harm.
     *
     * @param limit the most events to return, 1 or more
     * @throws MembershipStoreException when the database fails
     */
    public List<RecordedLogout> logoutsAfter(long afterId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit is " + limit + "; expected 1 or more");
        }
        return read(em -> em.createNamedQuery(LogoutEventEntity.AFTER, LogoutEventEntity.class).setParameter("after", afterId).setMaxResults(limit).getResultList().stream()
                .map(e -> new RecordedLogout(e.id, new LogoutEvent(e.issuer, e.subject, e.sid,
                        e.loggedOutAt.toInstant(ZoneOffset.UTC))))
                .toList());
    }

    /**
     * Deletes the logouts recorded before {@code before} (in UTC, to the microsecond), in one transaction:
     * housekeeping, once the nodes have handled them and the provider no longer sends their tokens (keep
     * them as long as a token's {@code jti} must be recognised as a replay).
     *
     * @return how many were deleted
     * @throws MembershipStoreException when the database fails; nothing is deleted then
     */
    public int deleteLogoutsBefore(Instant before) {
        Objects.requireNonNull(before, "before");
        LocalDateTime bound = utc(before);
        int deleted = transaction("delete the back-channel logouts before " + before, MembershipStoreException::new,
                em -> em.createNamedQuery(LogoutEventEntity.DELETE_BEFORE)
                        .setParameter("before", bound).executeUpdate());
        LOG.debug("Deleted {} back-channel logouts recorded before {}", deleted, before);
        return deleted;
    }

    private static void checkLogoutClaim(String claim, String value, int maxLength) {
        if (value != null && (value.isEmpty() || value.length() > maxLength)) {
            throw new MembershipStoreException("The " + claim + " of a back-channel logout token is 1 to " + maxLength
                    + " characters; this one has " + value.length());
        }
    }

    /** Releases the persistence unit and, for the embedded database, closes it. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            entityManagers.close();
        } finally {
            database.close();
        }
    }

    private static UserEntity lockUser(EntityManager em, String issuer, String subject) {
        List<UserEntity> found = em.createNamedQuery(UserEntity.BY_ACCOUNT, UserEntity.class)
                .setParameter("issuer", issuer).setParameter("subject", subject)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    private static GroupEntity group(EntityManager em, String name) {
        List<GroupEntity> found = em.createNamedQuery(GroupEntity.BY_NAME, GroupEntity.class)
                .setParameter("name", name).getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    private static Map<String, Long> roleIds(EntityManager em, Collection<String> names) {
        Map<String, Long> ids = new HashMap<>();
        if (names.isEmpty()) {
            return ids; // "IN ()" is no SQL on PostgreSQL and MariaDB
        }
        em.createNamedQuery(RoleEntity.IDS_BY_NAME, Object[].class)
                .setParameter("names", List.copyOf(new LinkedHashSet<>(names))).getResultList()
                .forEach(row -> ids.put((String) row[0], (Long) row[1]));
        return ids;
    }

    private static AuditEventEntity auditEvent(LocalDateTime now, String actor, UserEntity user, List<String> added,
            List<String> removed, List<String> created, String roleBefore, String roleAfter, List<String> rules) {
        AuditEventEntity event = new AuditEventEntity();
        event.time = now;
        event.actor = actor;
        event.userId = user.id;
        event.issuer = user.issuer;
        event.subject = user.subject;
        event.added = AuditEvent.encode(added);
        event.removed = AuditEvent.encode(removed);
        event.created = AuditEvent.encode(created);
        event.roleBefore = roleBefore;
        event.roleAfter = roleAfter;
        event.rulesFired = AuditEvent.encode(rules);
        return event;
    }

    static <E extends RuntimeException> void checkGroupName(String name, BiFunction<String, Throwable, E> failure) {
        if (name.isBlank() || name.length() > MAX_GROUP_NAME_LENGTH) {
            throw failure.apply("App group names are 1 to " + MAX_GROUP_NAME_LENGTH + " characters and not blank; '"
                    + name.substring(0, Math.min(40, name.length())) + (name.length() > 40 ? "...'" : "'")
                    + " has " + name.length(), null);
        }
    }

    /** Now, in UTC, to the microsecond the tables keep. */
    static LocalDateTime now() {
        return utc(Instant.now());
    }

    /** An instant as the tables keep it: the UTC date and time, truncated to the microsecond. */
    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** Every application group with the roles it grants, as a login's mapping sees them. */
    public List<AppGroup> appGroups() {
        return read(em -> appGroups(em, new HashMap<>()));
    }

    /** Every application group with the roles it grants, in id order; fills {@code ids} with each group's id. */
    private static List<AppGroup> appGroups(EntityManager em, Map<String, Long> ids) {
        Map<String, Set<String>> rolesByGroup = new LinkedHashMap<>();
        for (Object[] row : em.createNamedQuery(GroupEntity.WITH_ROLES, Object[].class).getResultList()) {
            ids.put((String) row[1], (Long) row[0]);
            Set<String> roles = rolesByGroup.computeIfAbsent((String) row[1], name -> new LinkedHashSet<>());
            if (row[2] != null) {
                roles.add((String) row[2]);
            }
        }
        return rolesByGroup.entrySet().stream().map(e -> new AppGroup(e.getKey(), e.getValue())).toList();
    }

    private <T> T read(Function<EntityManager, T> work) {
        EntityManager em = entityManagers.createEntityManager();
        try {
            return work.apply(em);
        } catch (RolebridgeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MembershipStoreException("Cannot read the membership store: " + describe(e), e);
        } finally {
            em.close();
        }
    }

    /**
     * Runs {@code work} in a transaction, retried on a duplicate key or a deadlock; any failure rolls it back.
     * Rolebridge's own exceptions pass unchanged; others become {@code failure}, whose message says what could
     * not be done and why.
     */
    private <T> T transaction(String what, BiFunction<String, Throwable, ? extends RuntimeException> failure,
            Function<EntityManager, T> work) {
        for (int attempt = 1; ; attempt++) {
            EntityManager em = entityManagers.createEntityManager();
            EntityTransaction transaction = em.getTransaction();
            try {
                transaction.begin();
                T result = work.apply(em);
                transaction.commit();
                return result;
            } catch (RuntimeException e) {
                rollback(transaction, e);
                if (e instanceof RolebridgeException rolebridge) {
                    throw rolebridge;
                }
                boolean retryable = isRetryable(e);
                if (retryable && attempt < MAX_ATTEMPTS) {
                    LOG.debug("Attempt {} to {} met a concurrent change ({}); trying again", attempt, what, describe(e));
                    continue;
                }
                throw failure.apply("Could not " + what + (retryable ? " in " + attempt + " attempts" : "") + ": "
                        + describe(e) + ". Nothing of it was stored.", e);
            } finally {
                em.close();
            }
        }
    }

    private static void rollback(EntityTransaction transaction, RuntimeException cause) {
        try {
            if (transaction.isActive()) {
                transaction.rollback();
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e); // the connection may be gone; the database rolls back on its own then
        }
    }

    /**
     * Whether a failure is worth another try: a unique key taken by a concurrent transaction (SQLState 23505
     * on PostgreSQL and H2, 23000 with error 1062 on MariaDB) or a deadlock or serialization failure
     * (40001, PostgreSQL's 40P01). Read from the SQLExceptions in the cause chain, whatever wraps them.
     */
    static boolean isRetryable(Throwable failure) {
        for (SQLException e : sqlExceptions(failure)) {
            String state = e.getSQLState();
            if ("23505".equals(state) || "23000".equals(state) && e.getErrorCode() == 1062
                    || "40001".equals(state) || "40P01".equals(state)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every SQLException in the chain of causes and of {@link SQLException#getNextException()}, nearest
     * first.
     */
    private static List<SQLException> sqlExceptions(Throwable failure) {
        List<SQLException> found = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> pending = new ArrayDeque<>(List.of(failure));
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException sql) {
                found.add(sql);
                Optional.ofNullable(sql.getNextException()).ifPresent(pending::add);
            }
            if (t instanceof EclipseLinkException eclipseLink && eclipseLink.getInternalException() != null) {
                pending.add(eclipseLink.getInternalException());
            }
            Optional.ofNullable(t.getCause()).ifPresent(pending::add);
        }
        return found;
    }

    /**
     * A short reason: the database's own message and SQLState (from the nearest SQLException that is not a
     * batch wrapper), without the SQL and bound values that EclipseLink's messages carry.
     */
    static String describe(Throwable failure) {
        List<SQLException> sql = sqlExceptions(failure);
        if (!sql.isEmpty()) {
            return sqlMessage(sql.stream().filter(e -> !(e instanceof BatchUpdateException)).findFirst().orElse(sql.get(0)));
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String sqlMessage(SQLException e) {
        String message = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()).strip();
        return message + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
    }
}
