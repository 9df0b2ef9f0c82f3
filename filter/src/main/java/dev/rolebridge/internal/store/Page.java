package dev.rolebridge.internal.store;

import java.util.List;
import java.util.Objects;

/**
 * One page of a longer list the store reads for an administration page ({@link MembershipStore#searchUsers},
 * {@link MembershipStore#auditTrail}): the items from {@code offset} on, at most {@code limit} of them, and
 * how many the whole list holds, counted in the same read.
 *
 * @param items the items of this page, in the list's order
 * @param total how many items the whole list holds
 * @param offset how many items of the list come before this page
 * @param limit the most items a page holds, as asked
 * @param <T> the items' type
 */
public record Page<T>(List<T> items, long total, int offset, int limit) {

    /** @throws IllegalArgumentException when {@code total} or {@code offset} is negative or {@code limit} below 1 */
    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
        if (total < 0 || offset < 0 || limit < 1) {
            throw new IllegalArgumentException(
                    "A page has total >= 0, offset >= 0, limit >= 1; not " + total + ", " + offset + ", " + limit);
        }
    }

    /** Whether the list holds items after this page. */
    public boolean hasMore() {
        return offset + (long) items.size() < total;
    }
}
