package dev.rolebridge.internal.store;

import java.util.Objects;

/**
 * A logout as recorded in {@code RB_LOGOUT_EVENT}, with the id the database gave it: ids follow the order in
 * which the database handed them out, whatever the nodes' clocks say, so a node reads the logouts after the
 * last id it handled.
 */
public record RecordedLogout(long id, LogoutEvent logout) {

    public RecordedLogout {
        Objects.requireNonNull(logout, "logout");
    }
}
