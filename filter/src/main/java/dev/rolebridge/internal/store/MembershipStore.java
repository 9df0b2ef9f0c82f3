package dev.rolebridge.internal.store;

import dev.rolebridge.internal.config.ScimSettings;
import dev.rolebridge.internal.mapping.Administered;
import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.mapping.MappingOutcome;
import dev.rolebridge.internal.mapping.UserState;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
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
 * <h2>For an administration page</h2>
 * {@link #searchUsers}, {@link #membershipDetails} and {@link #auditTrail} read users, their memberships' origin
 * and the audit trail in pages (write the trail as CSV with {@link AuditCsv}); {@link #unmappedGroups} sums up
 * the provider's groups that logins carried but that mapped to nothing, which each login records for its user
 * ({@link #deleteUnmappedGroupsBefore} prunes them).
 *
 * <h2>SCIM users</h2>
 * A user a SCIM client provisions ({@link #createScimUser}) is a user of the store like any other: a login of
 * the same person (by {@code scimUserMatch}) signs in as that user, the first login of a person SCIM provisioned
 * before takes the user over, and a user SCIM deactivated or deleted cannot sign in ({@link #sync} refuses the
 * login with a {@link MembershipSyncException}) until SCIM makes them active again.
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

    /** The audit actor of a change a SCIM client pushed. */
    public static final String ACTOR_SCIM = "scim";

    /** The widest group name the tables hold (a unique utf8mb4 index on MariaDB allows no more). */
    public static final int MAX_GROUP_NAME_LENGTH = 768;

    /** The widest issuer a back-channel logout holds. */
    public static final int MAX_ISSUER_LENGTH = 512;

    /** The widest subject, session id ({@code sid}) and token id ({@code jti}) a back-channel logout holds. */
    public static final int MAX_LOGOUT_CLAIM_LENGTH = 255;

    static final Logger LOG = dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(MembershipStore.class));

    // The store's jobs, each in a class of its own; this class opens, closes and documents them.
    private final StoreUnit unit;
    private final LoginSync logins;
    private final Directory directory;
    private final LogoutEvents logouts;
    private final ScimUsers scimUsers;
    private final ScimGroups scimGroups;
    private final AdminRules adminRules;
    private final AdminReads adminReads;
    private final UnmappedGroups unmappedGroups;
    private volatile boolean closed;

    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    private MembershipStore(StoreUnit unit, Clock clock) {
        this.unit = unit;
        Transactions transactions = new Transactions(unit.entityManagers, clock);
        ChangeListener changes = this::changed;
        this.logins = new LoginSync(transactions, changes);
        this.directory = new Directory(transactions, changes);
        this.logouts = new LogoutEvents(transactions);
        this.scimGroups = new ScimGroups(transactions, changes);
        this.adminRules = new AdminRules(transactions);
        this.scimUsers = new ScimUsers(transactions, changes, scimGroups);
        this.adminReads = new AdminReads(transactions);
        this.unmappedGroups = new UnmappedGroups(transactions);
    }

    /**
     * Connects to the database the settings name, creates or upgrades the tables, and logs at {@code INFO}
     * which database is used (for the embedded one: its file).
     *
     * @throws MembershipStoreException when the database cannot be reached or its tables cannot be created
     */
    public static MembershipStore open(StoreSettings settings) {
        return open(settings, UnaryOperator.identity(), Clock.systemUTC());
    }

    /** As {@link #open(StoreSettings)}, with every connection going through {@code decorator}'s DataSource (tests). */
    static MembershipStore open(StoreSettings settings, UnaryOperator<DataSource> decorator) {
        return open(settings, decorator, Clock.systemUTC());
    }

    /** As {@link #open(StoreSettings, UnaryOperator)}, with the store's "now" read from {@code clock} (tests). */
    static MembershipStore open(StoreSettings settings, UnaryOperator<DataSource> decorator, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new MembershipStore(StoreUnit.start(settings, decorator), clock);
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
     * @param membershipVersion the user's membership version after the sync (see {@link #userVersion})
     * @param outcome the decision that was applied
     * @param userGroups every group the user is in after the sync, from every source, in name order
     */
    public record SyncRecord(long userId, long membershipVersion, MappingOutcome outcome, List<String> userGroups) {

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
     * writes an audit event (actor {@value #ACTOR_LOGIN}) if {@link MappingOutcome#changed()}, and records
     * {@link MappingOutcome#unmappedGroups()} for {@link #unmappedGroups(Instant, int)}.
     *
     * <p>{@code decide} runs inside the transaction and may run again (with a fresh snapshot) when the
     * transaction is retried after a duplicate key or deadlock, at most {@value Transactions#MAX_ATTEMPTS} times in all;
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
        return logins.sync(login, decide, maxCreatedGroups);
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
            LOG.warn(
                    "maxGroupNameLength is {}, but the membership store holds group names of at most {} characters;"
                            + " a login with a longer name will fail",
                    config.maxGroupNameLength(),
                    MAX_GROUP_NAME_LENGTH);
        }
        Seeding result = directory.seed(config);
        result.kept().forEach(line -> LOG.warn("Configuration not applied: {}", line));
        if (result.changes() > 0) {
            LOG.info(
                    "Seeded the membership store from the configuration: {} roles, {} groups and {} grants added,"
                            + " {} role ranks updated, {} mapping rules rewritten",
                    result.roles(),
                    result.groups(),
                    result.grants(),
                    result.ranks(),
                    result.rules());
        } else {
            LOG.debug("The membership store already holds the configuration");
        }
    }

    /** Every application group with the roles it grants, as a login's mapping sees them. */
    public List<AppGroup> appGroups() {
        return directory.appGroups();
    }

    /** Every mapping rule in the table: the configuration's first, in order, then the administrators'. */
    public List<MappingRule> mappingRules() {
        return directory.mappingRules();
    }

    /** The user of this issuer and subject, with every membership, or empty when the user never logged in. */
    public Optional<StoredUser> findUser(String issuer, String subject) {
        return directory.findUser(issuer, subject);
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
        directory.changeMemberships(
                issuer, subject, MembershipSource.MANUAL, ACTOR_ADMIN, List.of(groupName), List.of());
    }

    /**
     * Creates an application group as an administrator or the application would ({@link Origin#ADMIN}), or,
     * when it exists, sets its grant. A grant written here wins over {@code groupRoles} at every later start. A
     * change of the grants adds one to the membership version of every member, so their sessions re-read their
     * roles.
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
        directory.createGroupGranting(name, grantedRoles);
    }

    /**
     * Changes an existing user's memberships of one source, as one audited change by {@code actor}: the
     * groups to join from {@code source} and those to leave from it; what is asked and already so is left out,
     * and nothing is written when that leaves nothing to do. Memberships of other sources stay.
     *
     * @throws MembershipStoreException when the user or a group does not exist, or the database fails
     */
    public void changeMemberships(
            String issuer,
            String subject,
            MembershipSource source,
            String actor,
            Collection<String> add,
            Collection<String> remove) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(actor, "actor");
        directory.changeMemberships(issuer, subject, source, actor, List.copyOf(add), List.copyOf(remove));
    }

    /**
     * Deactivates ({@code active} false) or reactivates an existing user, as one audited change by
     * {@code actor} (the audit event's {@link AuditEvent#activeAfter()}). A deactivated user keeps every
     * membership, but their signed-in sessions end at the next role refresh ({@code roleRefreshSeconds}; on
     * this node at their next request, through the {@linkplain #addChangeListener change listeners}) and every
     * login of theirs is refused with a {@link UserDeactivatedException} until they are reactivated. Nothing is
     * written when the user is so already.
     *
     * @throws MembershipStoreException when the user does not exist, or the database fails
     */
    public void setActive(String issuer, String subject, boolean active, String actor) {
        directory.setActive(issuer, subject, active, actor);
    }

    /**
     * A user's membership version, active flag and primary role, in one query by issuer and subject: what a
     * signed-in session compares at most once per refresh interval. The version grows by one in the transaction
     * of every change of the user's memberships (any source), primary role or active flag, and only then.
     *
     * @param userId the store's id of the user
     * @param version the membership version
     * @param active whether the user may sign in and hold roles
     * @param primaryRole the primary role the last login stored, or {@code null}
     */
    public record UserVersion(long userId, long version, boolean active, String primaryRole) {}

    /** The user's {@link UserVersion}, or empty when the user never logged in. */
    public Optional<UserVersion> userVersion(String issuer, String subject) {
        return directory.userVersion(issuer, subject);
    }

    /**
     * The groups of the user, from any source, in name order, each with the roles stored for it (one query), for a
     * session to recompute its roles. Read {@code version} first: a change committed in between then shows as a
     * newer version at the next look rather than being missed.
     */
    public List<AppGroup> groupsOf(UserVersion version) {
        return directory.groupsOf(Objects.requireNonNull(version, "version"));
    }

    /**
     * Told after each committed change of a user made through this store instance (a login that changed
     * something, an administrator's change, a deactivation), so that this node can act on its own sessions at
     * once; other nodes see the change through {@link #userVersion}.
     */
    @FunctionalInterface
    public interface ChangeListener {

        /** A change of the user of {@code issuer} and {@code subject}, whose active flag is {@code active} after it. */
        void userChanged(String issuer, String subject, boolean active);
    }

    /** Adds a listener, called on the thread that made the change; what it throws is logged and ignored. */
    public void addChangeListener(ChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void changed(String issuer, String subject, boolean active) {
        for (ChangeListener listener : listeners) {
            try {
                listener.userChanged(issuer, subject, active);
            } catch (RuntimeException e) {
                LOG.warn("A membership change listener failed: {}", e.toString());
            }
        }
    }

    /** The audit events of a user, oldest first. */
    public List<AuditEvent> auditEvents(String issuer, String subject) {
        return directory.auditEvents(issuer, subject);
    }

    /** The most items {@link #searchUsers} and {@link #auditTrail} return in one page. */
    public static final int MAX_PAGE_SIZE = AdminReads.MAX_PAGE_SIZE;

    /**
     * The users whose username, e-mail or subject contains {@code query} (ignoring case; {@code %}, {@code _} and
     * {@code !} are plain characters), or every user when {@code query} is {@code null} or blank, each with every
     * membership, in pages: ordered by username, then id (in the database's collation), from {@code offset} on, at
     * most {@code limit}. The page's total is the number of users found. Users a SCIM client provisioned who
     * never signed in are users too, and are found. Three queries: the count, the page, and the memberships of
     * the page's users.
     *
     * @param query the text to look for, stripped of surrounding white space; {@code null} or blank for all
     * @param offset how many users to skip, 0 or more
     * @param limit the most users to return, 1 to {@value #MAX_PAGE_SIZE}
     * @throws IllegalArgumentException when {@code offset} or {@code limit} is out of range
     * @throws MembershipStoreException when the database fails
     */
    public Page<StoredUser> searchUsers(String query, int offset, int limit) {
        return adminReads.searchUsers(query, offset, limit);
    }

    /**
     * Every membership of the user of this issuer and subject, ordered by group name then source, each with when
     * it was stored and, from the audit trail, the actor and the rules of the change that added it: the event
     * that added the group when the membership was stored, else the newest event of the user that added the
     * group; without such an event, the actor is {@code null} and the rules empty. Reads the user, the
     * memberships, and the user's events that added groups, newest first, a few hundred per query, until each
     * membership has its event.
     *
     * @return the memberships, or empty when no such user exists
     * @throws MembershipStoreException when the database fails
     */
    public Optional<List<MembershipDetail>> membershipDetails(String issuer, String subject) {
        return adminReads.membershipDetails(issuer, subject);
    }

    /**
     * The audit events {@code query} selects, newest first (by time, then by id, as ids come in blocks per node
     * and need not follow time across nodes), from {@code offset} on, at most {@code limit}; the page's total is
     * the number of events selected, counted exactly in the database. Two queries: the count and the page.
     *
     * @param offset how many events to skip, 0 or more
     * @param limit the most events to return, 1 to {@value #MAX_PAGE_SIZE}
     * @throws IllegalArgumentException when {@code offset} or {@code limit} is out of range
     * @throws MembershipStoreException when the database fails
     */
    public Page<AuditEvent> auditTrail(AuditQuery query, int offset, int limit) {
        return adminReads.auditTrail(query, offset, limit);
    }

    /**
     * The provider's groups that logins last carried at or after {@code since} and that mapped to nothing (see
     * {@link MappingOutcome#unmappedGroups()}): one per name, with how many users' logins carried it and when
     * last, most users first, then by name; at most {@code limit}. Each login the built-in {@link #sync} stores
     * records its user's unmapped names (at most {@value UnmappedGroups#MAX_PER_LOGIN}; blank names and names
     * longer than {@value #MAX_GROUP_NAME_LENGTH} characters are not recorded); a user counts once per name,
     * however often they signed in. One query, grouped in the database.
     *
     * @param since the earliest last-seen time to count ({@link Instant#EPOCH} for all)
     * @param limit the most groups to return, 1 to {@value #MAX_PAGE_SIZE}
     * @throws IllegalArgumentException when {@code limit} is out of range
     * @throws MembershipStoreException when the database fails
     */
    public List<UnmappedGroup> unmappedGroups(Instant since, int limit) {
        return unmappedGroups.summary(since, limit);
    }

    /**
     * Deletes, in one transaction, what {@link #unmappedGroups(Instant, int)} counts of the logins before
     * {@code before}: each user's unmapped names last seen before then (housekeeping).
     *
     * @return how many rows (names of one user) were deleted
     * @throws MembershipStoreException when the database fails; nothing is deleted then
     */
    public int deleteUnmappedGroupsBefore(Instant before) {
        return unmappedGroups.deleteBefore(before);
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
        return logouts.record(issuer, subject, sid, jti, at);
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
        return logouts.since(since, limit);
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
        return logouts.after(afterId, limit);
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
        return logouts.deleteBefore(before);
    }

    /**
     * Creates a user as a SCIM client provisions it, in one transaction: tied to the person who signed in
     * before when {@code match} finds exactly one, else to a new user that the person's first login claims
     * (see {@link ScimUsers}). The user's {@code active} flag follows the SCIM user's.
     *
     * @param issuer the provider's issuer, which the person's logins carry
     * @throws ScimUser.ConflictException when the {@code userName} is taken (ignoring case) or the person is
     *     provisioned already
     * @throws MembershipStoreException when the database fails; nothing is stored then
     */
    public ScimUser createScimUser(String issuer, ScimSettings.UserMatch match, ScimUser.Write user) {
        return scimUsers.create(issuer, match, user);
    }

    /** The SCIM user of this SCIM id, if any. */
    public Optional<ScimUser> scimUser(String id) {
        return scimUsers.find(id);
    }

    /** Every SCIM user, oldest first. */
    public List<ScimUser> scimUsers() {
        return scimUsers.list(ScimLookup.ALL, null);
    }

    /** The SCIM users {@code lookup} selects by {@code value} (ignored for {@link ScimLookup#ALL}), oldest first. */
    public List<ScimUser> scimUsers(ScimLookup lookup, String value) {
        return scimUsers.list(lookup, value);
    }

    /**
     * Replaces a SCIM user's representation and sets the user's {@code active} flag; empty when no SCIM user
     * has that id.
     *
     * @throws ScimUser.ConflictException when the new {@code userName} is another SCIM user's
     */
    public Optional<ScimUser> replaceScimUser(ScimSettings.UserMatch match, ScimUser.Write user) {
        return scimUsers.replace(match, user);
    }

    /**
     * Deletes a SCIM user and takes them out of every pushed group; the user of a person who signed in stays,
     * deactivated and without SCIM memberships, so their next login is refused until a SCIM client provisions
     * them again.
     *
     * @param mapper how pushed groups map onto app groups (the user's primary role is recomputed with it)
     * @return whether a SCIM user had that id
     */
    public boolean deleteScimUser(String id, GroupMapper mapper) {
        return scimUsers.delete(id, mapper);
    }

    /**
     * Creates a pushed group with its members (SCIM users), and gives each member the {@code SCIM}
     * memberships the group's display name maps to through {@code mapper} (see {@link ScimGroups}), in one
     * transaction.
     *
     * @throws ScimUser.ConflictException when the {@code displayName} is taken (ignoring case)
     * @throws ScimUser.InvalidValueException when a member is no SCIM user, or the display name is too long
     * @throws MembershipStoreException when the database fails; nothing is stored then
     */
    public ScimGroup createScimGroup(ScimGroup.Write group, GroupMapper mapper) {
        return scimGroups.create(group, mapper);
    }

    /** The pushed group of this SCIM id, if any, with its members when {@code withMembers}. */
    public Optional<ScimGroup> scimGroup(String id, boolean withMembers) {
        return scimGroups.find(id, withMembers);
    }

    /**
     * The pushed groups {@code lookup} selects by {@code value} (ignored for {@link ScimLookup#ALL}),
     * oldest first, with their members when {@code withMembers}.
     */
    public List<ScimGroup> scimGroups(ScimLookup lookup, String value, boolean withMembers) {
        return scimGroups.list(lookup, value, withMembers);
    }

    /**
     * Replaces a pushed group (its members too) and recomputes the {@code SCIM} memberships of the users whose
     * groups it changes (all members when the display name changes); empty when no group has that id.
     *
     * @throws ScimUser.ConflictException when the new {@code displayName} is another group's
     * @throws ScimUser.InvalidValueException when a member is no SCIM user
     */
    public Optional<ScimGroup> replaceScimGroup(ScimGroup.Write group, GroupMapper mapper) {
        return scimGroups.replace(group, mapper);
    }

    /**
     * Deletes a pushed group; its members lose the {@code SCIM} memberships it gave them.
     *
     * @return whether a group had that id
     */
    public boolean deleteScimGroup(String id, GroupMapper mapper) {
        return scimGroups.delete(id, mapper);
    }

    // --- what an administrator changes (see AdminRules)

    /** The user of this store id, if any. */
    public Optional<StoredUser> findUserById(long id) {
        return directory.findUserById(id);
    }

    /** Whether anyone holds app group {@code name} from a login or from SCIM (the groups sync manages). */
    public boolean heldFromSync(String name) {
        return directory.heldFromSync(name);
    }

    /**
     * As {@link #createGroupGranting(String, Collection)}, audited as {@code actedBy}'s (an administrator's)
     * change in the same transaction.
     */
    public void createGroupGranting(String name, Collection<String> grantedRoles, String actedBy) {
        directory.createGroupGranting(name, grantedRoles, Objects.requireNonNull(actedBy, "actedBy"));
    }

    /** Every mapping-rule row: the configured rules in their order, then the administrator's in theirs. */
    public List<StoredRule> ruleTable() {
        return adminRules.table();
    }

    /**
     * Adds an administrator's rule (origin {@link Origin#ADMIN}: a group mapping of one target, a claim rule or
     * a hardcoded group) after their others, audited as {@code actedBy}'s. The caller validates it first.
     */
    public StoredRule addRule(MappingRule rule, String actedBy) {
        return adminRules.add(rule, actedBy);
    }

    /**
     * Switches the configured rule of row {@code id} off, audited; the switch is kept across restarts.
     *
     * @throws MembershipStoreException when the row is no configured rule, or is the default group
     */
    public StoredRule disableRule(long id, String actedBy) {
        return adminRules.disable(id, actedBy);
    }

    /** Replaces an administrator's own rule; empty when no such row applies a rule of its own. */
    public Optional<StoredRule> changeRule(long id, MappingRule rule, String actedBy) {
        return adminRules.change(id, rule, actedBy);
    }

    /**
     * Deletes an administrator's row (a rule of their own, or a switching off, so that the configured rule
     * applies again), audited.
     *
     * @return whether an administrator's row had that id
     */
    public boolean deleteRule(long id, String actedBy) {
        return adminRules.delete(id, actedBy);
    }

    /** The administrator's rules and role order, as the mapping lays them over the configuration. */
    public Administered administered() {
        return adminRules.administered();
    }

    /** Keeps a new SCIM token as its SHA-256 digest (lower-case hex), audited as {@code actedBy}'s. */
    public ScimToken createScimToken(String name, String digestHex, String actedBy) {
        return adminRules.createScimToken(name, digestHex, actedBy);
    }

    /** The SCIM tokens created on the administration page, oldest first, revoked ones included. */
    public List<ScimToken> scimTokens() {
        return adminRules.scimTokens();
    }

    /** Revokes a SCIM token, audited; false when no valid token has that id. */
    public boolean revokeScimToken(String id, String actedBy) {
        return adminRules.revokeScimToken(id, actedBy);
    }

    /** Whether a valid SCIM token created on the administration page has this digest. */
    public boolean scimTokenValid(String digestHex) {
        return adminRules.scimTokenValid(digestHex);
    }

    /** An administrator's setting, if set. */
    public Optional<String> setting(String name) {
        return adminRules.setting(name);
    }

    /** Sets (or, with {@code null}, removes) an administrator's setting, audited as {@code description}. */
    public void setSetting(String name, String value, String actedBy, String description) {
        adminRules.setSetting(name, value, actedBy, description);
    }

    /** An administrator's order of the ranked roles (highest first), as {@link #administered()} reads it back. */
    public void setRolePriority(List<String> rolesHighestFirst, String actedBy) {
        adminRules.setSetting(
                AdminRules.ROLE_PRIORITY_SETTING,
                rolesHighestFirst == null ? null : AuditEvent.encode(rolesHighestFirst),
                actedBy,
                rolesHighestFirst == null
                        ? "rolePriority reset to the configured order"
                        : "rolePriority set to '" + String.join(", ", rolesHighestFirst) + "'");
    }

    /**
     * As {@link #changeMemberships}, naming the administrator who made the change in its audit event.
     *
     * @throws MembershipStoreException when the user or a group does not exist, or the database fails
     */
    public void changeMemberships(
            String issuer,
            String subject,
            MembershipSource source,
            String actor,
            String actedBy,
            List<String> add,
            List<String> remove) {
        directory.changeMemberships(issuer, subject, source, actor, actedBy, add, remove);
    }

    /** Releases the persistence unit and, for the embedded database, closes it. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        unit.close();
    }
}
