package dev.rolebridge.internal.scim;

import de.captaingoldfish.scim.sdk.common.constants.enums.Comparator;
import de.captaingoldfish.scim.sdk.server.filter.AndExpressionNode;
import de.captaingoldfish.scim.sdk.server.filter.AttributeExpressionLeaf;
import de.captaingoldfish.scim.sdk.server.filter.FilterNode;
import dev.rolebridge.internal.store.ScimLookup;

/**
 * Which rows a list needs to read from the database for a filter: for an {@code eq} on the resource's name
 * ({@code userName}, {@code displayName}) or {@code externalId}, alone or as one side of an {@code and}, only
 * the rows with that value (one indexed query), else all of them. The SDK's filtering then applies the whole
 * filter to what was read, so narrowing never changes an answer, only what it costs.
 *
 * @param lookup what to read
 * @param value the value {@code lookup} compares with ({@code null} for {@link ScimLookup#ALL})
 */
record Narrowing(ScimLookup lookup, String value) {

    private static final Narrowing ALL = new Narrowing(ScimLookup.ALL, null);

    /** The narrowing for {@code filter} (may be {@code null}) on a resource whose name is {@code nameAttribute}. */
    static Narrowing of(FilterNode filter, String nameAttribute) {
        if (filter instanceof AttributeExpressionLeaf leaf) {
            return leaf(leaf, nameAttribute);
        }
        if (filter instanceof AndExpressionNode and) {
            Narrowing left = of(and.getLeftNode(), nameAttribute);
            return left.lookup() != ScimLookup.ALL ? left : of(and.getRightNode(), nameAttribute);
        }
        return ALL;
    }

    private static Narrowing leaf(AttributeExpressionLeaf leaf, String nameAttribute) {
        String parent = leaf.getParentAttributeName();
        if (leaf.getComparator() != Comparator.EQ
                || !leaf.isMainSchemaNode()
                || (parent != null && !parent.isEmpty())
                || leaf.getStringValue().isEmpty()) {
            return ALL;
        }
        String attribute = leaf.getAttributeName();
        String value = leaf.getStringValue().get();
        if (nameAttribute.equalsIgnoreCase(attribute)) {
            return new Narrowing(ScimLookup.NAME, value);
        }
        if ("externalId".equalsIgnoreCase(attribute)) {
            return new Narrowing(ScimLookup.EXTERNAL_ID, value);
        }
        return ALL;
    }
}
