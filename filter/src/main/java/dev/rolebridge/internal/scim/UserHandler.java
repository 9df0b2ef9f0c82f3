package dev.rolebridge.internal.scim;

import de.captaingoldfish.scim.sdk.common.constants.ResourceTypeNames;
import de.captaingoldfish.scim.sdk.common.constants.ScimType;
import de.captaingoldfish.scim.sdk.common.constants.enums.SortOrder;
import de.captaingoldfish.scim.sdk.common.exceptions.BadRequestException;
import de.captaingoldfish.scim.sdk.common.exceptions.ConflictException;
import de.captaingoldfish.scim.sdk.common.exceptions.InternalServerException;
import de.captaingoldfish.scim.sdk.common.exceptions.ResourceNotFoundException;
import de.captaingoldfish.scim.sdk.common.resources.User;
import de.captaingoldfish.scim.sdk.common.resources.complex.Meta;
import de.captaingoldfish.scim.sdk.common.resources.multicomplex.Email;
import de.captaingoldfish.scim.sdk.common.schemas.SchemaAttribute;
import de.captaingoldfish.scim.sdk.common.utils.JsonHelper;
import de.captaingoldfish.scim.sdk.server.endpoints.Context;
import de.captaingoldfish.scim.sdk.server.endpoints.ResourceHandler;
import de.captaingoldfish.scim.sdk.server.filter.FilterNode;
import de.captaingoldfish.scim.sdk.server.response.PartialListResponse;
import dev.rolebridge.internal.config.ScimSettings;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.store.MembershipStore;
import dev.rolebridge.internal.store.MembershipStoreException;
import dev.rolebridge.internal.store.ScimUser;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code /Users}: SCIM users kept in the membership store. The SDK validates every request against the User
 * schema and applies PATCH operations before this handler sees the resource; filters and sorting run on the
 * list this handler returns (the resource type's auto-filtering), with the schema's rules ({@code userName}
 * compared without regard to case).
 */
final class UserHandler extends ResourceHandler<User> {

    private final MembershipStore store;
    private final String issuer;
    private final ScimSettings.UserMatch match;
    private final Supplier<GroupMapper> mapper;

    UserHandler(MembershipStore store, String issuer, ScimSettings.UserMatch match, Supplier<GroupMapper> mapper) {
        this.store = Objects.requireNonNull(store, "store");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.match = Objects.requireNonNull(match, "match");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public User createResource(User resource, Context context) {
        String id = UUID.randomUUID().toString();
        resource.setId(id);
        resource.remove("meta");
        ScimUser stored = storing(() -> store.createScimUser(issuer, match, write(id, resource)));
        return toUser(stored);
    }

    @Override
    public User getResource(
            String id, List<SchemaAttribute> attributes, List<SchemaAttribute> excludedAttributes, Context context) {
        return storing(() -> store.scimUser(id)).map(UserHandler::toUser).orElse(null);
    }

    @Override
    public PartialListResponse<User> listResources(
            long startIndex,
            int count,
            FilterNode filter,
            SchemaAttribute sortBy,
            SortOrder sortOrder,
            List<SchemaAttribute> attributes,
            List<SchemaAttribute> excludedAttributes,
            Context context) {
        // auto-filtering: the SDK filters, sorts and pages this list
        Narrowing narrowing = Narrowing.of(filter, "userName");
        List<User> users = storing(() -> store.scimUsers(narrowing.lookup(), narrowing.value())).stream()
                .map(UserHandler::toUser)
                .toList();
        return PartialListResponse.<User>builder()
                .resources(users)
                .totalResults(users.size())
                .build();
    }

    @Override
    public User updateResource(User resource, Context context) {
        String id =
                resource.getId().orElseThrow(() -> new InternalServerException("the SDK passed a user without an id"));
        resource.remove("meta");
        Optional<ScimUser> stored = storing(() -> store.replaceScimUser(match, write(id, resource)));
        return toUser(stored.orElseThrow(() -> notFound("User", id)));
    }

    @Override
    public void deleteResource(String id, Context context) {
        if (!storing(() -> store.deleteScimUser(id, mapper.get()))) {
            throw notFound("User", id);
        }
    }

    private static ScimUser.Write write(String id, User user) {
        user.remove("password"); // never stored: Rolebridge signs nobody in with a password
        String userName = user.getUserName()
                .orElseThrow(() -> new InternalServerException("the SDK passed a user without a userName"));
        List<Email> emails = user.getEmails();
        String email = emails.stream()
                .filter(Email::isPrimary)
                .findFirst()
                .or(() -> emails.stream().findFirst())
                .flatMap(Email::getValue)
                .orElse(null);
        return new ScimUser.Write(
                id,
                userName,
                user.getExternalId().orElse(null),
                email,
                user.isActive().orElse(true),
                user.toString());
    }

    private static User toUser(ScimUser stored) {
        User user = JsonHelper.readJsonDocument(stored.resource(), User.class);
        user.setId(stored.id());
        user.setMeta(Meta.builder()
                .resourceType(ResourceTypeNames.USER)
                .created(stored.created())
                .lastModified(stored.lastModified())
                .build());
        return user;
    }

    static ResourceNotFoundException notFound(String type, String id) {
        return new ResourceNotFoundException("no " + type + " with id '" + id + "'");
    }

    /** Runs a store call, turning its failures into SCIM errors that quote no database message. */
    static <T> T storing(Supplier<T> call) {
        try {
            return call.get();
        } catch (ScimUser.ConflictException e) {
            throw new ConflictException(e.getMessage(), ScimType.RFC7644.UNIQUENESS);
        } catch (ScimUser.InvalidValueException e) {
            throw new BadRequestException(e.getMessage(), null, ScimType.RFC7644.INVALID_VALUE);
        } catch (MembershipStoreException e) {
            throw new InternalServerException("the membership store failed", e);
        }
    }
}
