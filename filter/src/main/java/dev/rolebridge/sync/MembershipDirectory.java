package dev.rolebridge.sync;

import java.util.Optional;

/** A read-only view of the stored memberships, for hooks (see {@link HookContext#memberships()}). */
public interface MembershipDirectory {

    /**
     * The user of this issuer and subject as stored, with the groups they are in from every source (logins,
     * provisioning, administrators).
     *
     * @return the user, or empty when the user never signed in
     * @throws MembershipSyncException when the store cannot be read
     */
    Optional<StoredMember> find(String issuer, String subject);
}
