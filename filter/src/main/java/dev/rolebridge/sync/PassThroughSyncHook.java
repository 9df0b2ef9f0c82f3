package dev.rolebridge.sync;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * The simplest hook: the provider's groups become the session's groups and roles, one to one, and
 * nothing is stored. A missing groups claim gives no groups and no roles.
 */
public final class PassThroughSyncHook implements MembershipSyncHook {

    @Override
    public SyncResult sync(LoginIdentity login) {
        var names = new LinkedHashSet<>(login.groups().names());
        String how = login.groups().present()
                ? "groups claim passed through as roles (" + names.size() + ")"
                : "groups claim missing: no roles";
        return new SyncResult(names, names, null, List.of(how));
    }
}
