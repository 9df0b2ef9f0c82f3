package dev.rolebridge.internal.store;

/**
 * Who wrote a configuration row (role, group, grant, mapping rule), which decides whether the next start
 * may change it; see {@link MembershipStore#seed}.
 */
public enum Origin {

    /** Seeded from the filter's configuration ({@code web.xml} or the annotation). */
    CONFIG,

    /** Written by an administrator or the application; configuration never changes it. */
    ADMIN,

    /** Created by a login sync (a group, with {@code autoCreateGroups}). */
    LOGIN
}
