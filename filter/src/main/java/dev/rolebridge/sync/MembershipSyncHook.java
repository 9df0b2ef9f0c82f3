package dev.rolebridge.sync;

/**
 * Turns a verified login into the groups and roles its session carries, and may persist them.
 * The filter calls it once per successful OpenID Connect callback, before the session holds a profile:
 * if it throws, the login fails with an error page and no session is created.
 *
 * <p>Implementations must be thread-safe and idempotent: the same login may be synced more than once
 * (for example when tokens are renewed), and the second call must leave the same state as the first.
 *
 * <p>To replace the default, name a class in the {@code syncHook} parameter. It needs a public
 * constructor taking a {@code MembershipSyncHook} (it receives the default hook, to wrap it) or a
 * public no-argument constructor:
 * <pre>{@code
 * public class AuditingHook implements MembershipSyncHook {
 *     private final MembershipSyncHook delegate;
 *     public AuditingHook(MembershipSyncHook defaultHook) { this.delegate = defaultHook; }
 *     public SyncResult sync(LoginIdentity login) {
 *         SyncResult result = delegate.sync(login);
 *         myUserTable.updateRole(login.username(), result.primaryRole());
 *         return result;
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface MembershipSyncHook extends AutoCloseable {

    /**
     * Syncs one login.
     *
     * @throws MembershipSyncException when the memberships cannot be determined or stored; the login fails
     */
    SyncResult sync(LoginIdentity login);

    /** Releases what the hook holds (connections, caches); called when the filter is destroyed. */
    @Override
    default void close() {}
}
