package dev.rolebridge.sync;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A user as the membership store holds them: who, the primary role of the last sync, the last sign-in, and
 * every group they are in (from logins, provisioning and administrators alike), in name order.
 *
 * <p>Later versions may add properties; code that reads these keeps compiling and working.
 */
public final class StoredMember {

    private final String issuer;
    private final String subject;
    private final String username;
    private final String email;
    private final String primaryRole;
    private final Instant lastLogin;
    private final Set<String> groups;

    private StoredMember(
            String issuer,
            String subject,
            String username,
            String email,
            String primaryRole,
            Instant lastLogin,
            Collection<String> groups) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.username = username;
        this.email = email;
        this.primaryRole = primaryRole;
        this.lastLogin = lastLogin;
        this.groups = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(groups, "groups")));
    }

    /** A stored user; {@code username}, {@code email}, {@code primaryRole} and {@code lastLogin} may be null. */
    public static StoredMember of(
            String issuer,
            String subject,
            String username,
            String email,
            String primaryRole,
            Instant lastLogin,
            Collection<String> groups) {
        return new StoredMember(issuer, subject, username, email, primaryRole, lastLogin, groups);
    }

    public String issuer() {
        return issuer;
    }

    public String subject() {
        return subject;
    }

    /** The username of the last sign-in, or {@code null} for a user not signed in yet (provisioned). */
    public String username() {
        return username;
    }

    /** The e-mail address, or {@code null}. */
    public String email() {
        return email;
    }

    /** The primary role the last sync resolved, or {@code null}. */
    public String primaryRole() {
        return primaryRole;
    }

    /** When the user last signed in, or {@code null}. */
    public Instant lastLogin() {
        return lastLogin;
    }

    /** Every group the user is in, from every source, in name order. */
    public Set<String> groups() {
        return groups;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredMember other
                && issuer.equals(other.issuer)
                && subject.equals(other.subject)
                && Objects.equals(username, other.username)
                && Objects.equals(email, other.email)
                && Objects.equals(primaryRole, other.primaryRole)
                && Objects.equals(lastLogin, other.lastLogin)
                && groups.equals(other.groups);
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuer, subject, username, email, primaryRole, lastLogin, groups);
    }

    @Override
    public String toString() {
        return "StoredMember[issuer=" + issuer + ", subject=" + subject + ", username=" + username + ", primaryRole="
                + primaryRole + ", groups=" + groups.size() + "]";
    }
}
