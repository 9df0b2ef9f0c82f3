package dev.rolebridge.internal.mapping;

import java.util.Locale;

/**
 * When a login may change a membership, as in Keycloak's identity-provider mappers. The global mode is
 * the {@code syncMode} parameter; a claim rule may override it for its target group.
 */
public enum SyncMode {

    /** Every login adds what is mapped and removes what no longer is (the default). */
    FORCE,

    /** Memberships are set when the user first logs in and never changed by later logins. */
    IMPORT,

    /** Every login adds what is mapped; nothing is ever removed by a login. */
    ADD_ONLY;

    /**
     * Reads a mode as users write it: {@code FORCE}, {@code import}, {@code add_only} or {@code add-only}.
     *
     * @throws IllegalArgumentException when the text names no mode
     */
    public static SyncMode parse(String text) {
        String name = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (SyncMode mode : values()) {
            if (mode.name().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a sync mode; expected FORCE, IMPORT or ADD_ONLY");
    }
}
