package dev.rolebridge.sync;

import java.util.Map;

/**
 * What a custom {@link MembershipSyncHook} gets when the filter creates it: its own parameters, the built-in
 * hook (to wrap it), and a read-only view of the stored memberships. A hook named in {@code syncHook} takes
 * it in a public constructor:
 *
 * <pre>{@code
 * <init-param><param-name>syncHook</param-name><param-value>com.example.AuditingHook</param-value></init-param>
 * <init-param><param-name>syncHook.table</param-name><param-value>LOGIN_AUDIT</param-value></init-param>
 *
 * public class AuditingHook implements MembershipSyncHook {
 *     private final MembershipSyncHook builtIn;
 *     private final String table;
 *
 *     public AuditingHook(HookContext context) {
 *         this.builtIn = context.builtIn();
 *         this.table = context.parameters().getOrDefault("table", "LOGIN_AUDIT");
 *     }
 *
 *     public SyncResult sync(LoginIdentity login) {
 *         SyncResult result = builtIn.sync(login);
 *         // write to this.table ...
 *         return result;
 *     }
 * }
 * }</pre>
 *
 * <p>Later versions may add methods (with defaults); a hook that takes the context keeps working.
 */
public interface HookContext {

    /** The hook's own parameters: those named {@code syncHook.<name>}, by {@code <name>}, values resolved. */
    Map<String, String> parameters();

    /**
     * The built-in hook: it maps the provider's groups through the mapping tables and stores the memberships.
     * A hook that does not call it replaces the mapping and the storage of logins altogether.
     */
    MembershipSyncHook builtIn();

    /** The memberships the built-in hook stored, read-only. */
    MembershipDirectory memberships();
}
