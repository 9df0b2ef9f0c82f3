package dev.rolebridge;

/**
 * Root of every unchecked exception Rolebridge throws. Catch this to handle any Rolebridge failure;
 * catch a subclass ({@link dev.rolebridge.config.RolebridgeConfigurationException},
 * {@link dev.rolebridge.sync.MembershipSyncException}) to handle one kind.
 */
public class RolebridgeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RolebridgeException(String message) {
        super(message);
    }

    public RolebridgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
