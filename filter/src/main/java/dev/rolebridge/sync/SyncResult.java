package dev.rolebridge.sync;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a session carries after a login: the application groups the user is in, the roles
 * {@code isUserInRole} answers {@code true} for, and the user's primary role.
 *
 * @param groups the application groups, in a stable order
 * @param roles every role the user holds (the built-in hook: the primary role, with a hierarchy the ranked
 *     roles below it, and every role the user's groups grant); with {@code groupsAsRoles} the request also
 *     grants the names of {@code groups}
 * @param primaryRole the highest ranked role, or {@code null} when the hook does not rank roles
 * @param trace human-readable lines explaining how the result came about (rules fired, defaults used)
 */
public record SyncResult(Set<String> groups, Set<String> roles, String primaryRole, List<String> trace) {

    public SyncResult {
        groups = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(groups, "groups")));
        roles = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(roles, "roles")));
        trace = List.copyOf(Objects.requireNonNull(trace, "trace"));
    }
}
