package dev.rolebridge.internal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A user a SCIM client provisioned, as the membership store holds it.
 *
 * @param id the SCIM {@code id}, assigned by Rolebridge
 * @param userId the store's id of the user ({@code RB_USER}), which a login of the same person signs in as
 * @param resource the SCIM representation as last written, as JSON
 * @param created when the SCIM client created it (UTC, to the microsecond)
 * @param lastModified when the SCIM client last changed it
 */
public record ScimUser(String id, long userId, String resource, Instant created, Instant lastModified) {

    public ScimUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastModified, "lastModified");
    }

    /**
     * What a SCIM create or replace writes.
     *
     * @param id the SCIM {@code id}
     * @param userName the SCIM {@code userName}, unique without regard to case
     * @param externalId the SCIM {@code externalId}, or {@code null}
     * @param email the primary (else first) e-mail address, or {@code null}
     * @param active whether the user may sign in and hold roles
     * @param resource the SCIM representation, as JSON
     */
    public record Write(String id, String userName, String externalId, String email, boolean active, String resource) {

        public Write {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(userName, "userName");
            Objects.requireNonNull(resource, "resource");
        }

        /** This write for the SCIM user {@code otherId}. */
        public Write withId(String otherId) {
            return new Write(otherId, userName, externalId, email, active, resource);
        }
    }

    /** A SCIM change refused because a unique value is taken (the SCIM {@code uniqueness} error). */
    public static final class ConflictException extends MembershipStoreException {

        private static final long serialVersionUID = 1L;

        ConflictException(String message) {
            super(message);
        }
    }

    /** A SCIM change refused because a value it names is not acceptable (the SCIM {@code invalidValue} error). */
    public static final class InvalidValueException extends MembershipStoreException {

        private static final long serialVersionUID = 1L;

        InvalidValueException(String message) {
            super(message);
        }
    }
}
