package dev.rolebridge.internal.mapping;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * An application group as the host application stores it, with the roles it grants. Pass the groups
 * that exist to {@link GroupMapper}; it returns the ones to create in the same form.
 *
 * <pre>{@code
 * List<AppGroup> groups = List.of(AppGroup.of("admin"), AppGroup.granting("all apps", "builder"),
 *         AppGroup.granting("ops", "billing", "audit"));
 * }</pre>
 *
 * @param name the group's name, verbatim (never trimmed, decoded or case-folded here)
 * @param grantedRoles the roles the application stored for this group, in a stable order; empty when it
 *     stored none (the group may still grant roles implicitly, see {@link MappingConfig})
 */
public record AppGroup(String name, Set<String> grantedRoles) {

    public AppGroup {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an application group needs a name");
        }
        grantedRoles =
                Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(grantedRoles, "grantedRoles")));
    }

    /** A group with no stored role grant. */
    public static AppGroup of(String name) {
        return new AppGroup(name, Set.of());
    }

    /** A group that grants {@code roles}. */
    public static AppGroup granting(String name, String... roles) {
        Arrays.stream(roles).forEach(role -> Objects.requireNonNull(role, "role"));
        return new AppGroup(name, new LinkedHashSet<>(Arrays.asList(roles)));
    }
}
