package dev.rolebridge.internal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A SCIM bearer token created on the administration page, as the store keeps it: never the token itself.
 *
 * @param id the token's id
 * @param name what the administrator called it (e.g. the provider that uses it)
 * @param created when it was created
 * @param createdBy who created it, or {@code null}
 * @param revoked when it was revoked, or {@code null} while it is valid
 */
public record ScimToken(String id, String name, Instant created, String createdBy, Instant revoked) {

    public ScimToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
    }
}
