package dev.rolebridge.internal.sync;

import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.Throttle;
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
    private final GroupMapper mapper;
    private volatile MembershipStore store;
    private final Throttle retry = new Throttle(Duration.ofSeconds(2), Clock.systemUTC());

    private DefaultSyncHook(StoreSettings storeSettings, MappingConfig mapping) {
        this.storeSettings = Objects.requireNonNull(storeSettings, "storeSettings");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.mapper = new GroupMapper(mapping);
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
        MembershipStore.SyncRecord record = store().sync(
                        login,
                        snapshot -> mapper.map(login, snapshot.appGroups(), snapshot.user()),
                        mapping.maxCreatedGroups());
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
        return SyncResult.builder()
                .groups(record.userGroups())
                .roles(outcome.effectiveRoles())
                .primaryRole(outcome.primaryRole())
                .trace(outcome.traceLines())
                .build();
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
            store = opened;
            return opened;
        }
    }

    /**
     * Dry run: the groups and role a first login with these groups and claims would get now, against the
     * application groups in the database, with the trace of the rules that fired. Changes nothing.
     */
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

    public MappingOutcome explain(ClaimGroups groups, Map<String, ?> claims) {
        return mapper.explain(groups, claims, store().appGroups(), UserState.newUser());
    }

    @Override
    public void close() {
        MembershipStore current = store;
        if (current != null) {
            current.close();
        }
    }
}
