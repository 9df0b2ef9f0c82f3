package dev.rolebridge.internal.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A group a SCIM client pushed, as the membership store holds it.
 *
 * @param id the SCIM {@code id}, assigned by Rolebridge
 * @param displayName the SCIM {@code displayName}: the provider's group, which maps onto app groups as a value of
 *     the groups claim does
 * @param resource the SCIM representation as last written, without its members, as JSON
 * @param members the members, in {@code userName} order; empty when they were not asked for
 * @param created when the SCIM client created it (UTC, to the microsecond)
 * @param lastModified when the SCIM client last changed it
 */
public record ScimGroup(
        String id, String displayName, String resource, List<Member> members, Instant created, Instant lastModified) {

    public ScimGroup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(resource, "resource");
        members = List.copyOf(members);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastModified, "lastModified");
    }

    /**
     * A member: a SCIM user.
     *
     * @param id the SCIM user's {@code id}
     * @param userName the SCIM user's {@code userName}
     */
    public record Member(String id, String userName) {

        public Member {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(userName, "userName");
        }
    }

    /**
     * What a SCIM create or replace writes.
     *
     * @param id the SCIM {@code id}
     * @param displayName the SCIM {@code displayName}, unique without regard to case
     * @param externalId the SCIM {@code externalId}, or {@code null}
     * @param resource the SCIM representation without its members, as JSON
     * @param memberIds the SCIM ids of the users who are members (each a SCIM user)
     */
    public record Write(String id, String displayName, String externalId, String resource, List<String> memberIds) {

        public Write {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(displayName, "displayName");
            Objects.requireNonNull(resource, "resource");
            memberIds = List.copyOf(memberIds);
        }
    }
}
