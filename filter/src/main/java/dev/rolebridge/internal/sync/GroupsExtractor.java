package dev.rolebridge.internal.sync;

import dev.rolebridge.sync.ClaimGroups;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads groups out of claims. Each configured claim is a name or a dotted path into nested objects
 * ({@code realm_access.roles}, {@code resource_access.my-app.roles}); the values of several claims are
 * merged in order, without duplicates. A value may be a JSON array, a single string, or a string of names
 * separated by commas or whitespace.
 *
 * <p>A claim that is absent from every source is <em>missing</em>, which is not the same as empty: see
 * {@link ClaimGroups}. An Entra ID groups overage ({@code _claim_names} naming the claim, or
 * {@code hasgroups}) also counts as missing.
 */
public final class GroupsExtractor {

    private static final java.util.regex.Pattern SEPARATORS = java.util.regex.Pattern.compile("[,\\s]+");

    private final List<String> claimPaths;

    public GroupsExtractor(List<String> claimPaths) {
        this.claimPaths = List.copyOf(Objects.requireNonNull(claimPaths, "claimPaths"));
    }

    /**
     * Extracts the groups, looking in each source in order and taking a claim from the first source that has
     * it (for example the ID token's claims, then the UserInfo response).
     */
    @SafeVarargs
    public final ClaimGroups extract(Map<String, Object>... sources) {
        boolean present = false;
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String path : claimPaths) {
            for (Map<String, Object> source : sources) {
                if (source == null || isOverage(source, path)) {
                    continue;
                }
                Object value = resolve(source, path);
                if (value != null) {
                    present = true;
                    addNames(value, names);
                    break;
                }
            }
        }
        return present ? ClaimGroups.of(new ArrayList<>(names)) : ClaimGroups.missing();
    }

    /** Follows a dotted path; a key that itself contains dots is found before its parts are tried. */
    public static Object resolve(Map<String, ?> claims, String path) {
        if (claims.containsKey(path)) {
            return claims.get(path);
        }
        int dot = path.indexOf('.');
        while (dot > 0) {
            Object head = claims.get(path.substring(0, dot));
            if (head instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, ?> next = (Map<String, ?>) nested;
                Object found = resolve(next, path.substring(dot + 1));
                if (found != null) {
                    return found;
                }
            }
            dot = path.indexOf('.', dot + 1);
        }
        return null;
    }

    private static boolean isOverage(Map<String, Object> source, String path) {
        if (source.containsKey(path)) {
            return false;
        }
        Object claimNames = source.get("_claim_names");
        return (claimNames instanceof Map<?, ?> m && m.containsKey(path))
                || ("groups".equals(path) && Boolean.TRUE.equals(source.get("hasgroups")));
    }

    private static void addNames(Object value, Collection<String> into) {
        if (value instanceof Collection<?> values) {
            for (Object v : values) {
                if (v != null) {
                    into.add(v.toString());
                }
            }
        } else if (value instanceof Object[] values) {
            addNames(List.of(values), into);
        } else {
            SEPARATORS
                    .splitAsStream(value.toString())
                    .filter(part -> !part.isEmpty())
                    .forEach(into::add);
        }
    }
}
