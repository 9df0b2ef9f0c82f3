package dev.rolebridge.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.sync.ClaimGroups;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupsExtractorTest {

    private final GroupsExtractor groups = new GroupsExtractor(List.of("groups"));

    @Test
    void extractWhenClaimAbsentThenMissingNotEmpty() {
        ClaimGroups result = groups.extract(Map.of("sub", "x"));

        assertThat(result.present()).isFalse();
        assertThat(result.names()).isEmpty();
    }

    @Test
    void extractWhenClaimIsEmptyArrayThenPresentAndEmpty() {
        ClaimGroups result = groups.extract(Map.of("groups", List.of()));

        assertThat(result.present()).isTrue();
        assertThat(result.names()).isEmpty();
    }

    @Test
    void extractWhenArrayThenNamesVerbatimIncludingSpacesAndQuotes() {
        ClaimGroups result =
                groups.extract(Map.of("groups", List.of("all apps", "o'brien; DROP TABLE x", "/tenant-b/admin")));

        assertThat(result.names()).containsExactly("all apps", "o'brien; DROP TABLE x", "/tenant-b/admin");
    }

    @Test
    void extractWhenSingleStringThenSplitOnCommasAndWhitespace() {
        assertThat(groups.extract(Map.of("groups", "admin, builder  ops")).names())
                .containsExactly("admin", "builder", "ops");
    }

    @Test
    void extractWhenDottedPathThenFollowsNestedObjects() {
        GroupsExtractor keycloak = new GroupsExtractor(List.of("realm_access.roles", "resource_access.my-app.roles"));
        Map<String, Object> claims = Map.of(
                "realm_access", Map.of("roles", List.of("offline_access", "admin")),
                "resource_access", Map.of("my-app", Map.of("roles", List.of("builder", "admin"))));

        assertThat(keycloak.extract(claims).names()).containsExactly("offline_access", "admin", "builder");
    }

    @Test
    void extractWhenKeyItselfContainsDotsThenExactKeyWins() {
        GroupsExtractor dotted = new GroupsExtractor(List.of("https://example.com/groups"));

        assertThat(dotted.extract(Map.of("https://example.com/groups", List.of("a")))
                        .names())
                .containsExactly("a");
    }

    @Test
    void extractWhenFirstSourceHasClaimThenLaterSourcesAreNotMerged() {
        ClaimGroups result =
                groups.extract(Map.of("groups", List.of("from-id-token")), Map.of("groups", List.of("from-userinfo")));

        assertThat(result.names()).containsExactly("from-id-token");
    }

    @Test
    void extractWhenOnlyLaterSourceHasClaimThenItIsUsed() {
        assertThat(groups.extract(Map.of(), Map.of("groups", List.of("from-userinfo")))
                        .names())
                .containsExactly("from-userinfo");
    }

    @Test
    void extractWhenEntraOverageThenMissing() {
        assertThat(groups.extract(Map.of("_claim_names", Map.of("groups", "src1")))
                        .present())
                .isFalse();
        assertThat(groups.extract(Map.of("hasgroups", true)).present()).isFalse();
    }
}
