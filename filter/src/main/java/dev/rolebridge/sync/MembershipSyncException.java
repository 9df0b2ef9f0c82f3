package dev.rolebridge.sync;

import dev.rolebridge.RolebridgeException;

/** A login's memberships could not be synced; the login fails and nothing of it is kept. */
public class MembershipSyncException extends RolebridgeException {

    private static final long serialVersionUID = 1L;

    public MembershipSyncException(String message) {
        super(message);
    }

    public MembershipSyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
