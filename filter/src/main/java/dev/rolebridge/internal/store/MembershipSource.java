package dev.rolebridge.internal.store;

/** Why a user is in a group. Each source manages only its own memberships. */
public enum MembershipSource {

    /** The login sync put the user there; a later login may remove it. */
    OIDC,

    /** A SCIM client (the provider pushing) put the user there. */
    SCIM,

    /** An administrator or the application put the user there; no login ever removes it. */
    MANUAL
}
