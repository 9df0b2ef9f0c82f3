package dev.rolebridge.internal.scim;

import de.captaingoldfish.scim.sdk.common.constants.ResourceTypeNames;
import de.captaingoldfish.scim.sdk.common.constants.ScimType;
import de.captaingoldfish.scim.sdk.common.constants.enums.SortOrder;
import de.captaingoldfish.scim.sdk.common.exceptions.BadRequestException;
import de.captaingoldfish.scim.sdk.common.exceptions.InternalServerException;
import de.captaingoldfish.scim.sdk.common.resources.Group;
import de.captaingoldfish.scim.sdk.common.resources.complex.Meta;
import de.captaingoldfish.scim.sdk.common.resources.multicomplex.Member;
import de.captaingoldfish.scim.sdk.common.schemas.SchemaAttribute;
import de.captaingoldfish.scim.sdk.common.utils.JsonHelper;
import de.captaingoldfish.scim.sdk.server.endpoints.Context;
import de.captaingoldfish.scim.sdk.server.endpoints.ResourceHandler;
import de.captaingoldfish.scim.sdk.server.endpoints.features.EndpointType;
import de.captaingoldfish.scim.sdk.server.filter.FilterNode;
import de.captaingoldfish.scim.sdk.server.response.PartialListResponse;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.store.MembershipStore;
import dev.rolebridge.internal.store.ScimGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code /Groups}: the groups the provider pushes, kept in the membership store with their members (SCIM
 * users). A group's {@code displayName} is the provider's group: it maps onto app groups as a value of the
 * groups claim does, and its members hold those app groups with source {@code SCIM} (see the store's {@code
 * ScimGroups}). The SDK validates every request against the Group schema and applies PATCH operations to the
 * group as read with all its members ({@link #getResourceForUpdate}), then this handler writes the result;
 * filters and sorting run on what {@link #listResources} reads, narrowed in SQL by {@link Narrowing}. Members
 * are read only when the answer needs them ({@code excludedAttributes=members} skips them).
 */
final class GroupHandler extends ResourceHandler<Group> {

    private static final String MEMBERS = "members";

    private final MembershipStore store;
    private final Supplier<GroupMapper> mapper;
    private final String usersUrl;

    /** @param baseUrl the endpoint's public URL, for the members' {@code $ref} */
    GroupHandler(MembershipStore store, Supplier<GroupMapper> mapper, String baseUrl) {
        this.store = Objects.requireNonNull(store, "store");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.usersUrl = Objects.requireNonNull(baseUrl, "baseUrl") + "/Users/";
    }

    @Override
    public Group createResource(Group resource, Context context) {
        String id = UUID.randomUUID().toString();
        resource.setId(id);
        return toGroup(UserHandler.storing(() -> store.createScimGroup(write(id, resource), mapper.get())));
    }

    @Override
    public Group getResource(
            String id, List<SchemaAttribute> attributes, List<SchemaAttribute> excludedAttributes, Context context) {
        boolean withMembers = wantsMembers(attributes, excludedAttributes, null);
        return UserHandler.storing(() -> store.scimGroup(id, withMembers))
                .map(this::toGroup)
                .orElse(null);
    }

    /** A PATCH applies to the whole group: always with its members, whatever the request excludes from its answer. */
    @Override
    public Group getResourceForUpdate(
            String id,
            List<SchemaAttribute> attributes,
            List<SchemaAttribute> excludedAttributes,
            Context context,
            EndpointType endpointType) {
        return UserHandler.storing(() -> store.scimGroup(id, true))
                .map(this::toGroup)
                .orElse(null);
    }

    @Override
    public PartialListResponse<Group> listResources(
            long startIndex,
            int count,
            FilterNode filter,
            SchemaAttribute sortBy,
            SortOrder sortOrder,
            List<SchemaAttribute> attributes,
            List<SchemaAttribute> excludedAttributes,
            Context context) {
        // auto-filtering: the SDK filters, sorts and pages this list
        Narrowing narrowing = Narrowing.of(filter, "displayName");
        boolean withMembers = wantsMembers(attributes, excludedAttributes, filter);
        List<Group> groups =
                UserHandler.storing(() -> store.scimGroups(narrowing.lookup(), narrowing.value(), withMembers)).stream()
                        .map(this::toGroup)
                        .toList();
        return PartialListResponse.<Group>builder()
                .resources(groups)
                .totalResults(groups.size())
                .build();
    }

    @Override
    public Group updateResource(Group resource, Context context) {
        String id =
                resource.getId().orElseThrow(() -> new InternalServerException("the SDK passed a group without an id"));
        Optional<ScimGroup> stored =
                UserHandler.storing(() -> store.replaceScimGroup(write(id, resource), mapper.get()));
        return toGroup(stored.orElseThrow(() -> UserHandler.notFound("Group", id)));
    }

    @Override
    public void deleteResource(String id, Context context) {
        if (!UserHandler.storing(() -> store.deleteScimGroup(id, mapper.get()))) {
            throw UserHandler.notFound("Group", id);
        }
    }

    /** Whether an answer needs the members: not when excluded, nor when other attributes alone are asked for. */
    private static boolean wantsMembers(
            List<SchemaAttribute> attributes, List<SchemaAttribute> excludedAttributes, FilterNode filter) {
        if (filter != null && filter.toString().contains(MEMBERS)) {
            return true; // the SDK's filtering reads them
        }
        if (excludedAttributes != null && excludedAttributes.stream().anyMatch(GroupHandler::isMembers)) {
            return false;
        }
        return attributes == null || attributes.isEmpty() || attributes.stream().anyMatch(GroupHandler::isMembers);
    }

    private static boolean isMembers(SchemaAttribute attribute) {
        return MEMBERS.equalsIgnoreCase(attribute.getName())
                || (attribute.getParent() != null
                        && MEMBERS.equalsIgnoreCase(attribute.getParent().getName()));
    }

    private static ScimGroup.Write write(String id, Group group) {
        String displayName = group.getDisplayName()
                .filter(name -> !name.isBlank())
                .orElseThrow(() ->
                        new BadRequestException("A Group needs a displayName", null, ScimType.RFC7644.INVALID_VALUE));
        List<String> members = new ArrayList<>();
        for (Member member : group.getMembers()) {
            String type = member.getType().orElse("User");
            if (!"User".equalsIgnoreCase(type)) {
                throw new BadRequestException(
                        "A member of type '" + type + "' is not supported: members are Users",
                        null,
                        ScimType.RFC7644.INVALID_VALUE);
            }
            members.add(member.getValue()
                    .orElseThrow(() ->
                            new BadRequestException("A member needs a value", null, ScimType.RFC7644.INVALID_VALUE)));
        }
        Group stored = JsonHelper.copyResourceToObject(group.deepCopy(), Group.class);
        stored.remove(MEMBERS);
        stored.remove("meta");
        return new ScimGroup.Write(id, displayName, group.getExternalId().orElse(null), stored.toString(), members);
    }

    private Group toGroup(ScimGroup stored) {
        Group group = JsonHelper.readJsonDocument(stored.resource(), Group.class);
        group.setId(stored.id());
        group.setDisplayName(stored.displayName());
        if (!stored.members().isEmpty()) {
            group.setMembers(stored.members().stream()
                    .map(m -> Member.builder()
                            .value(m.id())
                            .display(m.userName())
                            .type("User")
                            .ref(usersUrl + m.id())
                            .build())
                    .toList());
        }
        group.setMeta(Meta.builder()
                .resourceType(ResourceTypeNames.GROUPS)
                .created(stored.created())
                .lastModified(stored.lastModified())
                .build());
        return group;
    }
}
