package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.internal.store.MembershipStore;
import dev.rolebridge.internal.store.StoredUser;
import dev.rolebridge.internal.sync.DefaultSyncHook;
import dev.rolebridge.sync.ClaimGroups;
import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.Provider;
import dev.rolebridge.testing.RolebridgeTestApp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The built-in hook end to end: real logins through the provider, the mapping tables from init-params, the
 * memberships in the embedded database, and what the servlet API then answers.
 */
class MappingLoginIT {

    @RegisterExtension
    static final RolebridgeTestApp<Provider> app = RolebridgeTestApp.with(Provider::new)
            .param("groupMappings", "engineers = all apps\nplatform = ops, all apps")
            .param("groupRoles", "all apps = builder")
            .param("hardcodedGroups", "staff")
            .param("autoCreateGroups", "false")
            .param("syncHook", HooksForTests.Capturing.class.getName());

    @BeforeAll
    static void createTheHardcodedAndMappedGroups() {
        store().createGroup("staff", null);
        store().createGroup("ops", null);
    }

    private static Provider provider() {
        return app.provider();
    }

    private static MembershipStore store() {
        return ((DefaultSyncHook) HooksForTests.Capturing.last).store();
    }

    private static String signIn(String subject, Map<String, Object> claims) {
        provider().nextLogin(subject, claims);
        return new Browser()
                .open(app.url("/me?role=admin&role=builder&role=end-user"))
                .body();
    }

    private static List<String> groupsOf(String subject) {
        StoredUser user = store().findUser(provider().issuer(), subject).orElseThrow();
        return user.memberships().stream()
                .map(m -> m.group() + "/" + m.source())
                .sorted()
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "admin and engineers      | admin;engineers | true  | true  | admin/OIDC,all apps/OIDC,staff/OIDC",
                "engineers mapped         | engineers       | false | true  | all apps/OIDC,staff/OIDC",
                "one to several           | platform        | false | true  | all apps/OIDC,ops/OIDC,staff/OIDC",
                "nothing matched          | unknown-group   | false | false | end-users/OIDC,staff/OIDC",
                "full path never collapses| /tenant-b/admin | false | false | end-users/OIDC,staff/OIDC"
            })
    void loginLandsInTheMappedGroupsWithTheirRole(
            String name, String groups, boolean admin, boolean builder, String stored) {
        String subject = "sub-" + name.replace(' ', '-');

        String page = signIn(subject, Map.of("groups", List.of(groups.split(";"))));

        assertThat(page).contains("role.admin=" + admin, "role.builder=" + builder, "role.end-user=true");
        assertThat(groupsOf(subject)).containsExactly(stored.split(","));
    }

    @Test
    void groupChangesAtTheProviderReachTheNextLoginAndManualMembershipsSurvive() {
        signIn("sub-changing", Map.of("groups", List.of("admin")));
        store().addManualMembership(provider().issuer(), "sub-changing", "ops");

        String page = signIn("sub-changing", Map.of("groups", List.of("engineers")));

        assertThat(page).contains("role.admin=false", "role.builder=true");
        assertThat(groupsOf("sub-changing")).containsExactly("all apps/OIDC", "ops/MANUAL", "staff/OIDC");
    }

    @Test
    void missingGroupsClaimLeavesMembershipsAsTheyAre() {
        signIn("sub-missing", Map.of("groups", List.of("admin")));

        String page = signIn("sub-missing", Map.of("preferred_username", "no-groups-claim"));

        assertThat(page).contains("role.admin=true");
        assertThat(groupsOf("sub-missing")).contains("admin/OIDC");
    }

    @Test
    void dryRunExplainsWhatALoginWouldGetWithoutStoringAnything() {
        DefaultSyncHook hook = (DefaultSyncHook) HooksForTests.Capturing.last;
        int groups = store().appGroups().size();

        var outcome =
                hook.explain(ClaimGroups.of(List.of("engineers", "nobody-knows")), Map.of("sub", "engineers-dry-run"));

        assertThat(outcome.desiredGroups()).containsExactly("all apps", "staff");
        assertThat(outcome.primaryRole()).isEqualTo("builder");
        assertThat(outcome.traceLines())
                .anySatisfy(line -> assertThat(line).contains("groupMappings"))
                .anySatisfy(line -> assertThat(line).contains("nobody-knows"));
        assertThat(store().appGroups()).hasSize(groups);
        assertThat(store().findUser(provider().issuer(), "engineers-dry-run")).isEmpty();
    }

    @Test
    void tenThousandGroupsAreRefusedByTheBoundAndNothingIsStored() {
        List<String> many = java.util.stream.IntStream.range(0, 10_000)
                .mapToObj(i -> "group-" + i)
                .toList();
        provider().nextLogin("sub-many", Map.of("groups", many));

        var page = new Browser().open(app.url("/me"));

        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.body()).contains("could not be completed");
        assertThat(store().findUser(provider().issuer(), "sub-many")).isEmpty();
    }

    @Test
    void groupNamesAreDataStoredAndMatchedVerbatim() {
        String odd = "o'brien\"; DROP TABLE RB_USER; -- {#sb64}YWRtaW4= \u00e5\u00df\u4e2d";
        store().createGroup(odd, "builder");

        String page = signIn("sub-odd", Map.of("groups", List.of(odd, "ADMIN")));

        assertThat(page).contains("role.builder=true", "role.admin=false");
        assertThat(groupsOf("sub-odd")).contains(odd + "/OIDC").doesNotContain("admin/OIDC");
    }

    @Test
    void emptyGroupsClaimRemovesSyncedMemberships() {
        signIn("sub-emptied", Map.of("groups", List.of("admin")));

        String page = signIn("sub-emptied", Map.of("groups", List.of()));

        assertThat(page).contains("role.admin=false", "role.end-user=true");
        assertThat(groupsOf("sub-emptied")).containsExactly("end-users/OIDC", "staff/OIDC");
    }
}
