package dev.rolebridge.sample;

import dev.rolebridge.sample.data.ExpenseDatabase;
import dev.rolebridge.sync.HookContext;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import dev.rolebridge.sync.MembershipSyncHook;
import dev.rolebridge.sync.SyncResult;

/**
 * Wraps Rolebridge's default sync hook so that every sign-in also lands in the Expense Tracker's own
 * {@code EMPLOYEE} table: the role Rolebridge resolved, the groups the provider sent and the mapping trace,
 * which the "Who am I" page shows. Named in {@code web.xml}:
 *
 * <pre>{@code
 * <init-param>
 *   <param-name>syncHook</param-name>
 *   <param-value>dev.rolebridge.sample.EmployeeRoleSyncHook</param-value>
 * </init-param>
 * }</pre>
 *
 * If the application's database cannot be written, the sign-in fails: a user whose role the application
 * could not record is not let in.
 */
public class EmployeeRoleSyncHook implements MembershipSyncHook {

    private final MembershipSyncHook delegate;

    public EmployeeRoleSyncHook(HookContext context) {
        this.delegate = context.builtIn();
    }

    @Override
    public SyncResult sync(LoginIdentity login) {
        SyncResult result = delegate.sync(login);
        try {
            ExpenseDatabase.current()
                    .recordSignIn(
                            login.username(),
                            login.email(),
                            result.primaryRole(),
                            result.roles(),
                            login.groups().present() ? login.groups().names() : null,
                            result.trace());
        } catch (RuntimeException e) {
            throw new MembershipSyncException(
                    "the Expense Tracker could not record the sign-in of '" + login.username()
                            + "' in its EMPLOYEE table: " + e.getMessage(),
                    e);
        }
        return result;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
