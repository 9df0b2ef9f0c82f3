package dev.rolebridge;

import java.io.Serializable;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The signed-in user, as {@code request.getUserPrincipal()} returns it behind the Rolebridge filter. Legacy
 * code needs only {@link #getName()}; code that knows Rolebridge can cast to read groups and roles:
 *
 * <pre>{@code
 * if (request.getUserPrincipal() instanceof RolebridgePrincipal p) {
 *     out.println(p.getName() + " is " + p.primaryRole() + " in " + p.groups());
 * }
 * }</pre>
 *
 * @param name the user name ({@code getRemoteUser()})
 * @param issuer the provider's issuer
 * @param subject the provider's subject
 * @param groups the application groups of the session
 * @param roles every name {@code isUserInRole} grants: the roles the user holds and, with {@code groupsAsRoles},
 *     the names of the app groups
 * @param primaryRole the highest-ranked role, or {@code null} when roles are not ranked
 */
public record RolebridgePrincipal(
        String name, String issuer, String subject, Set<String> groups, Set<String> roles, String primaryRole)
        implements Principal, Serializable {

    private static final long serialVersionUID = 1L;

    public RolebridgePrincipal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        groups = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(groups, "groups")));
        roles = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(roles, "roles")));
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
