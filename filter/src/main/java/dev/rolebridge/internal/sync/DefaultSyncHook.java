package dev.rolebridge.internal.sync;

import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.Throttle;
import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.mapping.MappingOutcome;
import dev.rolebridge.internal.mapping.UserState;
import dev.rolebridge.internal.store.MembershipStore;
import dev.rolebridge.internal.store.StoreSettings;
import dev.rolebridge.sync.ClaimGroups;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipDirectory;
import dev.rolebridge.sync.MembershipSyncException;
import dev.rolebridge.sync.MembershipSyncHook;
import dev.rolebridge.sync.StoredMember;
import dev.rolebridge.sync.SyncResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in membership sync hook: maps the login's groups and claims with the configured
 * {@link GroupMapper} against the application groups in the database, and stores the result through the
 * {@link MembershipStore}, all in one transaction per login.
 *
 * <p>The database may be down when the application starts: the hook then logs why and opens the store at a
 * later login (at most once every 2 s); until it can, logins fail with a
 * clear page. A {@code dataSource} JNDI name that names nothing is a configuration error and stops start-up.
 */
public final class DefaultSyncHook implements MembershipSyncHook {

    private static final Logger LOG =
            dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(DefaultSyncHook.class));

    private final StoreSettings storeSettings;
    private final MappingConfig mapping;
    private final LiveMapping live;
    private volatile MembershipStore store;
    private final Throttle retry = new Throttle(Duration.ofSeconds(2), Clock.systemUTC());
    private final List<MembershipStore.ChangeListener> listeners = new CopyOnWriteArrayList<>();

    private DefaultSyncHook(StoreSettings storeSettings, MappingConfig mapping) {
        this.storeSettings = Objects.requireNonNull(storeSettings, "storeSettings");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.live = new LiveMapping(mapping, this::store, Clock.systemUTC());
    }

    /** The mapping in force: the configuration with the administrator's rules. */
    public LiveMapping mapping() {
        return live;
    }

    /**
     * Creates the hook and tries to open and seed the store now.
     *
     * @throws RolebridgeConfigurationException when the configured {@code dataSource} does not exist
     */
    public static DefaultSyncHook start(StoreSettings storeSettings, MappingConfig mapping) {
        DefaultSyncHook hook = new DefaultSyncHook(storeSettings, mapping);
        try {
            hook.store();
        } catch (MembershipSyncException e) {
            Throwable cause = e.getCause();
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof javax.naming.NameNotFoundException) {
                    throw new RolebridgeConfigurationException(List.of(
                            "dataSource: '" + storeSettings.dataSourceJndiName() + "' names no DataSource in JNDI"));
                }
            }
            LOG.warn(
                    "membership database not available yet ({}); sign-ins will fail until it is, and retry by "
                            + "themselves",
                    cause == null ? e.getMessage() : cause.getMessage());
        }
        return hook;
    }

    @Override
    public SyncResult sync(LoginIdentity login) {
        return syncLogin(login).result();
    }

    /**
     * What a login through the built-in hook gives the session: the hook's result and the user's membership
     * version it was built from.
     */
    public record SyncedLogin(SyncResult result, long membershipVersion) {}

    /** As {@link #sync}, with the membership version the result was built from, for the session to keep. */
    public SyncedLogin syncLogin(LoginIdentity login) {
        GroupMapper mapper = live.mapper();
        MembershipStore.SyncRecord record = store().sync(
                        login,
                        snapshot -> mapper.map(login, snapshot.appGroups(), snapshot.user()),
                        mapper.config().maxCreatedGroups());
        MappingOutcome outcome = record.outcome();
        if (outcome.changed()) {
            LOG.info(
                    "membership sync for {} (subject {}): added {}, removed {}, role {} -> {}",
                    login.username(),
                    login.subject(),
                    outcome.toAdd(),
                    outcome.toRemove(),
                    outcome.previousRole(),
                    outcome.primaryRole());
        } else {
            LOG.info(
                    "membership sync for {} (subject {}): unchanged, role {}",
                    login.username(),
                    login.subject(),
                    outcome.primaryRole());
        }
        SyncResult result = SyncResult.builder()
                .groups(record.userGroups())
                .roles(outcome.effectiveRoles())
                .primaryRole(outcome.primaryRole())
                .trace(outcome.traceLines())
                .build();
        return new SyncedLogin(result, record.membershipVersion());
    }

    /**
     * What the store holds for a signed-in user now, for a session's refresh: the membership version, the active
     * flag and, when the version is not {@code knownVersion} and {@code reload}, the user's groups and roles
     * computed from the stored groups exactly as a login computes them ({@link GroupMapper#rolesOf}; one more
     * query). Empty when the user never logged in.
     */
    public Optional<Standing> standing(String issuer, String subject, long knownVersion, boolean reload) {
        MembershipStore current = store();
        Optional<MembershipStore.UserVersion> found = current.userVersion(issuer, subject);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MembershipStore.UserVersion version = found.get();
        if (!reload || !version.active() || version.version() == knownVersion) {
            return Optional.of(new Standing(version.version(), version.active(), null));
        }
        List<AppGroup> groups = current.groupsOf(version);
        GroupMapper.Roles roles = live.mapper().rolesOf(groups, version.primaryRole());
        List<String> names = groups.stream().map(AppGroup::name).toList();
        return Optional.of(new Standing(
                version.version(),
                true,
                SyncResult.builder()
                        .groups(names)
                        .roles(roles.effectiveRoles())
                        .primaryRole(roles.primaryRole())
                        .build()));
    }

    /**
     * A signed-in user's standing in the store.
     *
     * @param version the user's membership version
     * @param active whether the user may sign in and hold roles
     * @param roles the groups and roles read for it, or {@code null} when they were not read
     */
    public record Standing(long version, boolean active, SyncResult roles) {}

    /**
     * Adds a listener told after each change of a user that this node makes through the store (see
     * {@link MembershipStore#addChangeListener}); it is registered with the store as soon as the store opens.
     */
    public void addChangeListener(MembershipStore.ChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The store, opened (and seeded) on first use; the same instance afterwards. */
    public MembershipStore store() {
        MembershipStore current = store;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (store != null) {
                return store;
            }
            if (!retry.tryAcquire()) {
                throw new MembershipSyncException("the membership database is not available (retrying shortly)");
            }
            MembershipStore opened;
            try {
                opened = MembershipStore.open(storeSettings);
            } catch (RuntimeException e) {
                throw new MembershipSyncException("the membership database cannot be opened: " + e.getMessage(), e);
            }
            try {
                opened.seed(mapping);
            } catch (RuntimeException e) {
                opened.close();
                throw new MembershipSyncException("the membership database cannot be seeded: " + e.getMessage(), e);
            }
            opened.addChangeListener((issuer, subject, active) ->
                    listeners.forEach(listener -> listener.userChanged(issuer, subject, active)));
            store = opened;
            return opened;
        }
    }

    /** The stored memberships, read-only, as a custom hook's context offers them. */
    public MembershipDirectory directory() {
        return (issuer, subject) -> store().findUser(issuer, subject)
                .map(user -> StoredMember.of(
                        user.issuer(),
                        user.subject(),
                        user.username(),
                        user.email(),
                        user.primaryRole(),
                        user.lastLogin(),
                        new java.util.TreeSet<>(user.groups())));
    }

    /**
     * Dry run: the groups and role a first login with these groups and claims would get now, against the
     * application groups in the database, with the trace of the rules that fired. Changes nothing.
     */
    public MappingOutcome explain(ClaimGroups groups, Map<String, ?> claims) {
        return live.mapper().explain(groups, claims, store().appGroups(), UserState.newUser());
    }

    @Override
    public void close() {
        MembershipStore current = store;
        if (current != null) {
            current.close();
        }
    }
}
