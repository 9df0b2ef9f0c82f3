package dev.rolebridge.internal.store;

import dev.rolebridge.sync.MembershipSyncException;

/**
 * A login of a user whom an administrator or a SCIM client deactivated ({@link MembershipStore#setActive}): it is
 * refused, and nothing of it is stored, until the user is reactivated.
 */
public class UserDeactivatedException extends MembershipSyncException {

    private static final long serialVersionUID = 1L;

    UserDeactivatedException(String message) {
        super(message);
    }
}
