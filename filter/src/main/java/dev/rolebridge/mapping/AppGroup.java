package dev.rolebridge.mapping;

import java.util.Objects;

/**
 * An application group as the host application stores it, with the role it grants. Pass the groups
 * that exist to {@link GroupMapper}; it returns the ones to create in the same form.
 *
 * <pre>{@code
 * List<AppGroup> groups = List.of(AppGroup.of("admin"), AppGroup.granting("all apps", "builder"));
 * }</pre>
 *
 * @param name the group's name, verbatim (never trimmed, decoded or case-folded here)
 * @param grantedRole the role the application stored for this group, or {@code null} when it stored
 *     none; the group may still grant a role implicitly (see {@link MappingConfig})
 */
public record AppGroup(String name, String grantedRole) {

    public AppGroup {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an application group needs a name");
        }
    }

    /** A group with no stored role grant. */
    public static AppGroup of(String name) {
        return new AppGroup(name, null);
    }

    /** A group that grants {@code role}. */
    public static AppGroup granting(String name, String role) {
        return new AppGroup(name, Objects.requireNonNull(role, "role"));
    }
}
