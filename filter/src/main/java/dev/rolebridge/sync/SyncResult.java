package dev.rolebridge.sync;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a session carries after a login: the application groups the user is in, the roles
 * {@code isUserInRole} answers {@code true} for, and the user's primary role. Made by {@link #of} or a
 * {@link #builder()}; a hook that wraps another changes what it needs through {@link #toBuilder()}:
 *
 * <pre>{@code
 * SyncResult result = builtIn.sync(login);
 * return result.toBuilder().addRole("reader").build();
 * }</pre>
 *
 * <p>Later versions may add properties; code that uses the factories keeps compiling and working.
 */
public final class SyncResult {

    private final Set<String> groups;
    private final Set<String> roles;
    private final String primaryRole;
    private final List<String> trace;

    private SyncResult(Builder b) {
        this.groups = Collections.unmodifiableSet(new LinkedHashSet<>(b.groups));
        this.roles = Collections.unmodifiableSet(new LinkedHashSet<>(b.roles));
        this.primaryRole = b.primaryRole;
        this.trace = List.copyOf(b.trace);
    }

    /** Groups and roles, no primary role and no trace. */
    public static SyncResult of(Collection<String> groups, Collection<String> roles) {
        return builder().groups(groups).roles(roles).build();
    }

    /** An empty result to fill in: no groups, no roles, no primary role, no trace. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this result's values. */
    public Builder toBuilder() {
        return builder().groups(groups).roles(roles).primaryRole(primaryRole).trace(trace);
    }

    /** The application groups, in a stable order. */
    public Set<String> groups() {
        return groups;
    }

    /**
     * Every role the user holds (the built-in hook: the primary role, with a hierarchy the ranked roles below
     * it, and every role the user's groups grant); with {@code groupsAsRoles} the request also grants the
     * names of {@link #groups()}.
     */
    public Set<String> roles() {
        return roles;
    }

    /** The highest ranked role, or {@code null} when the hook does not rank roles. */
    public String primaryRole() {
        return primaryRole;
    }

    /** Human-readable lines explaining how the result came about (rules fired, defaults used). */
    public List<String> trace() {
        return trace;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncResult other
                && groups.equals(other.groups)
                && roles.equals(other.roles)
                && Objects.equals(primaryRole, other.primaryRole)
                && trace.equals(other.trace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groups, roles, primaryRole, trace);
    }

    @Override
    public String toString() {
        return "SyncResult[groups=" + groups + ", roles=" + roles + ", primaryRole=" + primaryRole + "]";
    }

    /** Builds a {@link SyncResult}; every setter replaces, every {@code add} adds. */
    public static final class Builder {
        private final Set<String> groups = new LinkedHashSet<>();
        private final Set<String> roles = new LinkedHashSet<>();
        private String primaryRole;
        private final List<String> trace = new java.util.ArrayList<>();

        private Builder() {}

        public Builder groups(Collection<String> groups) {
            this.groups.clear();
            Objects.requireNonNull(groups, "groups").forEach(this::addGroup);
            return this;
        }

        public Builder addGroup(String group) {
            groups.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        public Builder roles(Collection<String> roles) {
            this.roles.clear();
            Objects.requireNonNull(roles, "roles").forEach(this::addRole);
            return this;
        }

        public Builder addRole(String role) {
            roles.add(Objects.requireNonNull(role, "role"));
            return this;
        }

        /** The primary role, or {@code null} for none. */
        public Builder primaryRole(String primaryRole) {
            this.primaryRole = primaryRole;
            return this;
        }

        public Builder trace(List<String> trace) {
            this.trace.clear();
            Objects.requireNonNull(trace, "trace").forEach(this::addTrace);
            return this;
        }

        public Builder addTrace(String line) {
            trace.add(Objects.requireNonNull(line, "line"));
            return this;
        }

        public SyncResult build() {
            return new SyncResult(this);
        }
    }
}
