package dev.rolebridge.internal.mapping;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the application knows about a user before a login is mapped: whether this login creates the
 * user, the memberships earlier syncs created, memberships from other sources, and the stored role.
 *
 * <pre>{@code
 * UserState state = user == null
 *         ? UserState.newUser()
 *         : UserState.existing(store.syncedGroups(user), user.role()).withOtherGroups(store.manualGroups(user));
 * }</pre>
 *
 * @param firstLogin whether this login creates the user (matters for {@link SyncMode#IMPORT})
 * @param syncedGroups the application groups the user is in because a login sync put them there; only
 *     these may be removed
 * @param otherGroups memberships from other sources (manual, SCIM): they count when roles are resolved
 *     but the mapper never adds or removes them
 * @param primaryRole the role stored for the user, or {@code null} when none is stored yet
 */
public record UserState(boolean firstLogin, Set<String> syncedGroups, Set<String> otherGroups, String primaryRole) {

    public UserState {
        syncedGroups =
                Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(syncedGroups, "syncedGroups")));
        otherGroups =
                Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(otherGroups, "otherGroups")));
    }

    /** A user this login creates: no memberships, no role. */
    public static UserState newUser() {
        return new UserState(true, Set.of(), Set.of(), null);
    }

    /** A user who has logged in before. */
    public static UserState existing(Collection<String> syncedGroups, String primaryRole) {
        return new UserState(
                false,
                new LinkedHashSet<>(Objects.requireNonNull(syncedGroups, "syncedGroups")),
                Set.of(),
                primaryRole);
    }

    /** The same state with memberships from other sources. */
    public UserState withOtherGroups(Collection<String> otherGroups) {
        return new UserState(
                firstLogin,
                syncedGroups,
                new LinkedHashSet<>(Objects.requireNonNull(otherGroups, "otherGroups")),
                primaryRole);
    }
}
