package dev.rolebridge.internal.store;

import dev.rolebridge.RolebridgeException;

/**
 * The membership store cannot be opened or used: the database is unreachable, the schema cannot be
 * migrated, or a request names a user or group that does not exist. A failed login sync is reported as a
 * {@link dev.rolebridge.sync.MembershipSyncException} instead.
 */
public class MembershipStoreException extends RolebridgeException {

    private static final long serialVersionUID = 1L;

    public MembershipStoreException(String message) {
        super(message);
    }

    public MembershipStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
