package dev.rolebridge.internal.store;

/**
 * Which SCIM resources a list reads from the database: all of them, or those a filter's {@code eq} on an
 * indexed attribute names (the endpoint still applies the whole filter to what is read).
 */
public enum ScimLookup {
    /** Every resource. */
    ALL,
    /** The resources whose name ({@code userName} of a user, {@code displayName} of a group) equals the value, without regard to case. */
    NAME,
    /** The resources whose {@code externalId} equals the value. */
    EXTERNAL_ID
}
