package dev.rolebridge.sync;

import java.util.List;
import java.util.Objects;

/**
 * The groups a provider asserted for one login. A <em>missing</em> claim ("we don't know") is not an
 * <em>empty</em> one ("member of nothing"): only the second may remove memberships.
 *
 * @param present whether the groups claim was present in the tokens at all
 * @param names the group names in the order the provider sent them, verbatim; empty when absent
 */
public record ClaimGroups(boolean present, List<String> names) {

    private static final ClaimGroups MISSING = new ClaimGroups(false, List.of());

    public ClaimGroups {
        names = List.copyOf(Objects.requireNonNull(names, "names"));
        if (!present && !names.isEmpty()) {
            throw new IllegalArgumentException("a missing groups claim carries no names");
        }
    }

    /** The claim was not in the tokens (or the provider signalled an overage): memberships stay as they are. */
    public static ClaimGroups missing() {
        return MISSING;
    }

    /** The claim was present with these names (possibly none). */
    public static ClaimGroups of(List<String> names) {
        return new ClaimGroups(true, names);
    }
}
