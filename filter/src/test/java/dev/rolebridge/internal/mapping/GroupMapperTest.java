package dev.rolebridge.internal.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolebridge.internal.mapping.MappingOutcome.Step;
import dev.rolebridge.internal.mapping.MappingOutcome.Step.Kind;
import dev.rolebridge.sync.ClaimGroups;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GroupMapperTest {

    /** The role groups of the default configuration: admin > builder > end-user, default group end-users. */
    private static final List<AppGroup> ROLE_GROUPS =
            List.of(AppGroup.of("admin"), AppGroup.of("builder"), AppGroup.of("end-users"));

    // ToolJet's table: roles admin > builder > end-user, default group end-users.

    static Stream<Arguments> toolJetTable() {
        return Stream.of(
                Arguments.of(
                        "role-named IdP groups join the matching role groups",
                        List.of("admin", "builder", "end-user"),
                        List.of(),
                        "",
                        List.of("admin", "builder", "end-users"),
                        "admin"),
                Arguments.of(
                        "custom group granting nothing also joins the default group",
                        List.of("engineers"),
                        List.of(AppGroup.of("engineers")),
                        "",
                        List.of("engineers", "end-users"),
                        "end-user"),
                Arguments.of(
                        "custom group granting builder",
                        List.of("engineers"),
                        List.of(AppGroup.granting("engineers", "builder")),
                        "",
                        List.of("engineers"),
                        "builder"),
                Arguments.of(
                        "mapping to a custom group granting builder",
                        List.of("engineers"),
                        List.of(AppGroup.granting("all apps", "builder")),
                        "engineers = all apps",
                        List.of("all apps"),
                        "builder"),
                Arguments.of(
                        "mapping to a role group",
                        List.of("engineers"),
                        List.of(),
                        "engineers = builder",
                        List.of("builder"),
                        "builder"),
                Arguments.of(
                        "role group and custom group, highest role wins",
                        List.of("admin", "all apps"),
                        List.of(AppGroup.granting("all apps", "builder")),
                        "",
                        List.of("admin", "all apps"),
                        "admin"),
                Arguments.of("no groups", List.of(), List.of(), "", List.of("end-users"), "end-user"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolJetTable")
    void mapFollowsToolJetRoleTable(
            String row,
            List<String> idpGroups,
            List<AppGroup> customGroups,
            String mappings,
            List<String> expectedGroups,
            String expectedRole) {
        GroupMapper mapper = new GroupMapper(MappingConfig.parse(Map.of("groupMappings", mappings)));
        List<AppGroup> appGroups = new ArrayList<>(ROLE_GROUPS);
        appGroups.addAll(customGroups);

        MappingOutcome outcome = mapper.map(ClaimGroups.of(idpGroups), Map.of(), appGroups, UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactlyElementsOf(expectedGroups);
        assertThat(outcome.toAdd()).containsExactlyElementsOf(expectedGroups);
        assertThat(outcome.toRemove()).isEmpty();
        assertThat(outcome.primaryRole()).isEqualTo(expectedRole);
    }

    /** A session's refresh recomputes from the stored groups exactly the roles the login computed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("toolJetTable")
    void rolesOfTheGroupsALoginStoredAreTheRolesThatLoginComputed(
            String row,
            List<String> idpGroups,
            List<AppGroup> customGroups,
            String mappings,
            List<String> expectedGroups,
            String expectedRole) {
        GroupMapper mapper = new GroupMapper(MappingConfig.parse(
                Map.of("groupMappings", mappings, "groupRoles", "all apps = builder, approver"), List.of("approver")));
        List<AppGroup> appGroups = new ArrayList<>(ROLE_GROUPS);
        appGroups.addAll(customGroups);
        MappingOutcome login = mapper.map(ClaimGroups.of(idpGroups), Map.of(), appGroups, UserState.newUser());
        List<AppGroup> stored = appGroups.stream()
                .filter(group -> login.desiredGroups().contains(group.name()))
                .toList();

        GroupMapper.Roles roles = mapper.rolesOf(stored, login.primaryRole());

        assertThat(roles.primaryRole()).isEqualTo(login.primaryRole());
        assertThat(roles.effectiveRoles()).containsExactlyInAnyOrderElementsOf(login.effectiveRoles());
    }

    @Test
    void rolesOfGroupsThatNoLongerGrantARankedRoleFallToTheLowestRoleAndKeepUnrankedOnes() {
        GroupMapper mapper =
                new GroupMapper(MappingConfig.parse(Map.of("groupRoles", "ops = billing"), List.of("billing")));

        GroupMapper.Roles roles = mapper.rolesOf(List.of(AppGroup.of("ops")), "admin");

        assertThat(roles.primaryRole()).isEqualTo("end-user");
        assertThat(roles.effectiveRoles()).containsExactly("end-user", "billing");
        assertThat(mapper.rolesOf(List.of(), null).effectiveRoles()).containsExactly("end-user");
    }

    @Test
    void rolesOfWithPromoteOnlyKeepTheStoredRoleAsALoginWithoutRoleGroupsWould() {
        GroupMapper mapper = mapper(MappingConfig.builder().promoteOnly(true));

        GroupMapper.Roles roles = mapper.rolesOf(List.of(AppGroup.of("builder")), "admin");

        assertThat(roles.primaryRole()).isEqualTo("admin");
        assertThat(roles.effectiveRoles()).containsExactly("admin", "builder", "end-user");
        assertThat(mapper.map(
                                ClaimGroups.missing(),
                                Map.of(),
                                ROLE_GROUPS,
                                UserState.existing(List.of("builder"), "admin"))
                        .primaryRole())
                .isEqualTo("admin");
    }

    @Test
    void mapWhenLoginIdentityThenUsesItsGroupsAndClaims() {
        GroupMapper mapper = mapper(MappingConfig.builder().claimRule("department=ops -> ops"));
        LoginIdentity login = LoginIdentity.builder("https://idp", "sub-1", "alice")
                .groups(ClaimGroups.of(List.of("admin")))
                .claims(Map.of("department", "ops"))
                .build();

        MappingOutcome outcome = mapper.map(login, groups(AppGroup.of("ops")), UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("admin", "ops");
    }

    @Test
    void mapWhenIdpGroupMatchesNothingThenIgnoredAndTraced() {
        MappingOutcome outcome = defaultMapper()
                .map(
                        ClaimGroups.of(List.of("admin", "strangers", "visitors")),
                        Map.of(),
                        ROLE_GROUPS,
                        UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("admin");
        assertThat(outcome.toCreate()).isEmpty();
        assertThat(outcome.traceLines())
                .contains(
                        "note: 2 IdP groups match no app group and no groupMappings entry, ignored: 'strangers', 'visitors'");
    }

    @Test
    void mapWhenIdpGroupsMatchNothingThenUnmappedGroupsListsEachOnceInClaimOrder() {
        GroupMapper mapper = mapper(MappingConfig.builder().groupMapping("engineers", "builder"));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("visitors", "admin", "engineers", "strangers", "visitors")),
                Map.of(),
                ROLE_GROUPS,
                UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("admin", "builder");
        assertThat(outcome.unmappedGroups()).containsExactly("visitors", "strangers");
    }

    @Test
    void mapWhenEveryIdpGroupMapsOrClaimMissingThenNoUnmappedGroups() {
        assertThat(defaultMapper()
                        .map(ClaimGroups.of(List.of("admin")), Map.of(), ROLE_GROUPS, UserState.newUser())
                        .unmappedGroups())
                .isEmpty();
        assertThat(defaultMapper()
                        .map(ClaimGroups.missing(), Map.of(), ROLE_GROUPS, UserState.newUser())
                        .unmappedGroups())
                .isEmpty();
        assertThat(mapper(MappingConfig.builder().autoCreateGroups(true))
                        .map(ClaimGroups.of(List.of("newcomers")), Map.of(), ROLE_GROUPS, UserState.newUser())
                        .unmappedGroups())
                .isEmpty();
    }

    @Test
    void mapWhenManyIdpGroupsIgnoredThenTraceListsOnlyTheFirstTwenty() {
        List<String> names = IntStream.range(0, 25).mapToObj(i -> "g" + i).toList();

        MappingOutcome outcome = defaultMapper().map(ClaimGroups.of(names), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.traceLines())
                .anySatisfy(line -> assertThat(line)
                        .startsWith("note: 25 IdP groups match")
                        .contains("'g19'")
                        .doesNotContain("'g20'")
                        .endsWith("and 5 more"));
    }

    @Test
    void mapWhenAutoCreateGroupsThenUnknownIdpGroupIsCreatedAndJoined() {
        GroupMapper mapper =
                mapper(MappingConfig.builder().autoCreateGroups(true).groupRole("ops", "builder"));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("ops", "/tenant-a/people")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.toCreate())
                .containsExactly(AppGroup.granting("ops", "builder"), AppGroup.of("/tenant-a/people"));
        assertThat(outcome.desiredGroups()).containsExactly("ops", "/tenant-a/people");
        assertThat(outcome.primaryRole()).isEqualTo("builder");
    }

    @Test
    void mapWhenAutoCreateWouldCreateMoreThanMaxCreatedGroupsPerLoginThenRefusedNamingTheBound() {
        GroupMapper mapper =
                mapper(MappingConfig.builder().autoCreateGroups(true).maxCreatedGroupsPerLogin(2));

        MappingOutcome two = mapper.map(ClaimGroups.of(List.of("a", "b")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(two.toCreate()).hasSize(2);
        assertThatThrownBy(() ->
                        mapper.map(ClaimGroups.of(List.of("a", "b", "c")), Map.of(), ROLE_GROUPS, UserState.newUser()))
                .isInstanceOf(MembershipSyncException.class)
                .hasMessageContaining("would create 3 app groups")
                .hasMessageContaining("more than maxCreatedGroupsPerLogin (2)");
    }

    @Test
    void mapWhenMappingTargetMissingThenSkippedWithTraceAndLoginSucceeds() {
        GroupMapper mapper = mapper(MappingConfig.builder().groupMapping("engineers", "ghost", "builder"));

        MappingOutcome outcome =
                mapper.map(ClaimGroups.of(List.of("engineers")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("builder");
        assertThat(outcome.trace(Kind.SKIPPED))
                .extracting(Step::message)
                .containsExactly(
                        "groupMappings: IdP group 'engineers' -> 'ghost' skipped: app group 'ghost' does not exist");
        assertThat(outcome.trace(Kind.FIRED))
                .extracting(Step::message)
                .containsExactly("groupMappings: IdP group 'engineers' -> app group 'builder'");
    }

    @Test
    void mapWhenMappingTargetMissingAndAutoCreateThenTargetCreated() {
        GroupMapper mapper = mapper(
                MappingConfig.builder().groupMapping("engineers", "ghost").autoCreateGroups(true));

        MappingOutcome outcome =
                mapper.map(ClaimGroups.of(List.of("engineers")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.toCreate()).containsExactly(AppGroup.of("ghost"));
        assertThat(outcome.desiredGroups()).containsExactly("ghost", "end-users");
    }

    @Test
    void mapWhenGroupMappingNamesIdpGroupThenItReplacesTheByNameMatch() {
        GroupMapper mapper = mapper(MappingConfig.builder().groupMapping("admin", "builder"));

        MappingOutcome outcome =
                mapper.map(ClaimGroups.of(List.of("admin")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("builder");
        assertThat(outcome.primaryRole()).isEqualTo("builder");
    }

    @Test
    void mapWhenOneIdpGroupMapsToSeveralAppGroupsThenAllDesired() {
        GroupMapper mapper = mapper(MappingConfig.builder().groupMapping("engineers", "all apps", "ops"));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("engineers")),
                Map.of(),
                groups(AppGroup.granting("all apps", "builder"), AppGroup.of("ops")),
                UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("all apps", "ops");
        assertThat(outcome.primaryRole()).isEqualTo("builder");
    }

    @Test
    void mapWhenFullPathThenNeverCollapsedToLastSegment() {
        GroupMapper mapper = mapper(MappingConfig.builder().groupMapping("/tenant-a/admins", "admin"));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("/tenant-b/admin", "/tenant-a/admins")),
                Map.of(),
                ROLE_GROUPS,
                UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("admin");
        assertThat(outcome.trace(Kind.FIRED))
                .extracting(Step::message)
                .containsExactly("groupMappings: IdP group '/tenant-a/admins' -> app group 'admin'");
        MappingOutcome tenantB = defaultMapper()
                .map(ClaimGroups.of(List.of("/tenant-b/admin")), Map.of(), ROLE_GROUPS, UserState.newUser());
        assertThat(tenantB.desiredGroups()).containsExactly("end-users");
        assertThat(tenantB.primaryRole()).isEqualTo("end-user");
    }

    @Test
    void mapWhenGroupNamesCarryQuotesSqlPrefixesAndUnicodeThenKeptVerbatim() {
        List<String> names = List.of(
                "x'); DROP TABLE groups; --",
                "\"quoted\" group",
                "{#sb64}YWRtaW4=",
                "Ünïcødé 組 👥",
                "a\\b",
                " spaced ");
        List<AppGroup> appGroups = names.stream().map(AppGroup::of).toList();

        MappingOutcome outcome = defaultMapper().map(ClaimGroups.of(names), Map.of(), appGroups, UserState.newUser());

        assertThat(outcome.desiredGroups()).containsSubsequence(names);
        assertThat(outcome.toAdd()).containsSubsequence(names);
        assertThat(outcome.primaryRole()).isEqualTo("end-user");
    }

    @Test
    void mapWhenSqlTextInConfigAndClaimThenMappedVerbatim() {
        MappingConfig config =
                MappingConfig.parse(Map.of("groupMappings", "Robert')\\; DROP TABLE users\\;-- = {#sb64}Ym9iYnk="));

        MappingOutcome outcome = new GroupMapper(config)
                .map(
                        ClaimGroups.of(List.of("Robert'); DROP TABLE users;--")),
                        Map.of(),
                        groups(AppGroup.of("{#sb64}Ym9iYnk=")),
                        UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("{#sb64}Ym9iYnk=", "end-users");
    }

    @Test
    void mapWhenClaimMissingThenMembershipsUnchanged() {
        UserState state = UserState.existing(List.of("admin", "ops"), "admin");

        MappingOutcome outcome =
                defaultMapper().map(ClaimGroups.missing(), Map.of(), groups(AppGroup.of("ops")), state);

        assertThat(outcome.desiredGroups()).containsExactly("admin", "ops");
        assertThat(outcome.toAdd()).isEmpty();
        assertThat(outcome.toRemove()).isEmpty();
        assertThat(outcome.primaryRole()).isEqualTo("admin");
        assertThat(outcome.changed()).isFalse();
        assertThat(outcome.trace(Kind.WARNING))
                .extracting(Step::message)
                .containsExactly("groups claim missing: memberships are left as they are and none is removed");
    }

    @Test
    void mapWhenClaimMissingThenHardcodedGroupsAndClaimRulesStillAdd() {
        GroupMapper mapper =
                mapper(MappingConfig.builder().hardcodedGroups("everyone").claimRule("department=ops -> ops"));
        UserState state = UserState.existing(List.of("builder", "old"), "builder");

        MappingOutcome outcome = mapper.map(
                ClaimGroups.missing(),
                Map.of("department", "ops"),
                groups(AppGroup.of("everyone"), AppGroup.of("ops")),
                state);

        assertThat(outcome.toAdd()).containsExactly("ops", "everyone");
        assertThat(outcome.toRemove()).isEmpty();
    }

    @Test
    void mapWhenClaimEmptyThenSyncedMembershipsRemoved() {
        UserState state = UserState.existing(List.of("admin", "ops"), "admin");

        MappingOutcome outcome =
                defaultMapper().map(ClaimGroups.of(List.of()), Map.of(), groups(AppGroup.of("ops")), state);

        assertThat(outcome.toRemove()).containsExactly("admin", "ops");
        assertThat(outcome.toAdd()).containsExactly("end-users");
        assertThat(outcome.primaryRole()).isEqualTo("end-user");
        assertThat(outcome.previousRole()).isEqualTo("admin");
        assertThat(outcome.changed()).isTrue();
    }

    @Test
    void mapWhenForceThenAddsWhatIsMappedAndRemovesWhatIsNot() {
        UserState state = UserState.existing(List.of("builder", "ops"), "builder");

        MappingOutcome outcome = defaultMapper()
                .map(ClaimGroups.of(List.of("admin", "ops")), Map.of(), groups(AppGroup.of("ops")), state);

        assertThat(outcome.desiredGroups()).containsExactly("admin", "ops");
        assertThat(outcome.toAdd()).containsExactly("admin");
        assertThat(outcome.toRemove()).containsExactly("builder");
        assertThat(outcome.traceLines())
                .contains("note: app group 'builder' removed (FORCE): the login no longer maps to it");
    }

    @Test
    void mapWhenNothingChangesThenNoWritesNeeded() {
        UserState state = UserState.existing(List.of("admin"), "admin");

        MappingOutcome outcome = defaultMapper().map(ClaimGroups.of(List.of("admin")), Map.of(), ROLE_GROUPS, state);

        assertThat(outcome.toAdd()).isEmpty();
        assertThat(outcome.toRemove()).isEmpty();
        assertThat(outcome.changed()).isFalse();
    }

    @Test
    void mapWhenImportAndFirstLoginThenMembershipsSet() {
        GroupMapper mapper = mapper(MappingConfig.builder().syncMode(SyncMode.IMPORT));

        MappingOutcome outcome =
                mapper.map(ClaimGroups.of(List.of("builder")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.toAdd()).containsExactly("builder");
        assertThat(outcome.primaryRole()).isEqualTo("builder");
    }

    @Test
    void mapWhenImportAndNotFirstLoginThenNothingChanges() {
        GroupMapper mapper = mapper(MappingConfig.builder().syncMode(SyncMode.IMPORT));
        UserState state = UserState.existing(List.of("builder"), "builder");

        MappingOutcome outcome = mapper.map(ClaimGroups.of(List.of("admin")), Map.of(), ROLE_GROUPS, state);

        assertThat(outcome.desiredGroups()).containsExactly("builder");
        assertThat(outcome.toAdd()).isEmpty();
        assertThat(outcome.toRemove()).isEmpty();
        assertThat(outcome.primaryRole()).isEqualTo("builder");
        assertThat(outcome.traceLines())
                .contains(
                        "note: app group 'admin' not added (IMPORT): not the user's first login",
                        "note: app group 'builder' kept (IMPORT) although the login no longer maps to it");
    }

    @Test
    void mapWhenImportAndNotFirstLoginThenDefaultGroupNotAddedEither() {
        GroupMapper mapper = mapper(MappingConfig.builder().syncMode(SyncMode.IMPORT));

        MappingOutcome outcome =
                mapper.map(ClaimGroups.of(List.of()), Map.of(), ROLE_GROUPS, UserState.existing(List.of(), "end-user"));

        assertThat(outcome.toAdd()).isEmpty();
        assertThat(outcome.primaryRole()).isEqualTo("end-user");
    }

    @Test
    void mapWhenAddOnlyThenAddsButNeverRemoves() {
        GroupMapper mapper = mapper(MappingConfig.builder().syncMode(SyncMode.ADD_ONLY));
        UserState state = UserState.existing(List.of("admin", "ops"), "admin");

        MappingOutcome outcome =
                mapper.map(ClaimGroups.of(List.of("builder")), Map.of(), groups(AppGroup.of("ops")), state);

        assertThat(outcome.toAdd()).containsExactly("builder");
        assertThat(outcome.toRemove()).isEmpty();
        assertThat(outcome.desiredGroups()).containsExactly("builder", "admin", "ops");
        assertThat(outcome.primaryRole()).isEqualTo("admin");
    }

    @Test
    void mapWhenClaimRuleHasOwnModeThenItOverridesGlobalModeForThatGroup() {
        GroupMapper mapper = mapper(MappingConfig.builder()
                .syncMode(SyncMode.IMPORT)
                .claimRule("department=ops -> ops [FORCE]")
                .claimRule("department=ops -> pager [ADD_ONLY]"));
        List<AppGroup> appGroups = groups(AppGroup.of("ops"), AppGroup.of("pager"), AppGroup.of("ops-alumni"));

        MappingOutcome joins = mapper.map(
                ClaimGroups.of(List.of("ops-alumni")),
                Map.of("department", "ops"),
                appGroups,
                UserState.existing(List.of("end-users"), "end-user"));
        MappingOutcome leaves = mapper.map(
                ClaimGroups.of(List.of()),
                Map.of("department", "sales"),
                appGroups,
                UserState.existing(List.of("end-users", "ops", "pager"), "end-user"));

        assertThat(joins.toAdd()).containsExactly("ops", "pager");
        assertThat(leaves.toRemove()).containsExactly("ops");
        assertThat(leaves.desiredGroups()).containsExactly("end-users", "pager");
    }

    @Test
    void mapWhenClaimRuleMatchesThenTargetDesiredAndTraceSaysWhy() {
        GroupMapper mapper = mapper(MappingConfig.builder()
                .claimRule("department~^eng.*$ & country=NO -> engineers")
                .claimRule("realm_access.roles=release-manager -> builder"));
        Map<String, Object> claims = Map.of(
                "department",
                "engineering",
                "country",
                "NO",
                "realm_access",
                Map.of("roles", List.of("offline_access", "release-manager")));

        MappingOutcome outcome =
                mapper.map(ClaimGroups.of(List.of()), claims, groups(AppGroup.of("engineers")), UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("engineers", "builder");
        assertThat(outcome.primaryRole()).isEqualTo("builder");
        assertThat(outcome.trace(Kind.FIRED))
                .extracting(Step::message)
                .containsExactly(
                        "claimRules 'department~^eng.*$ & country=NO -> engineers' (department~^eng.*$ and country=NO hold)"
                                + " -> app group 'engineers'",
                        "claimRules 'realm_access.roles=release-manager -> builder' (realm_access.roles=release-manager hold)"
                                + " -> app group 'builder'");
    }

    @Test
    void mapWhenClaimRuleConditionFailsThenNotFiredAndTraced() {
        GroupMapper mapper = mapper(MappingConfig.builder().claimRule("department~^eng.*$ & country=NO -> engineers"));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of()),
                Map.of("department", "engineering", "country", "SE"),
                groups(AppGroup.of("engineers")),
                UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("end-users");
        assertThat(outcome.trace(Kind.FIRED))
                .extracting(Step::message)
                .containsExactly("defaultGroup: no other group grants a ranked role -> app group 'end-users'");
        assertThat(outcome.traceLines())
                .contains("note: claimRules 'department~^eng.*$ & country=NO -> engineers'"
                        + " did not fire: claim 'country' has no value equal to 'NO'");
    }

    @Test
    void mapWhenRegexRuleMeetsOverlongClaimValueThenValueSkippedAndRuleDoesNotFire() {
        GroupMapper mapper = mapper(MappingConfig.builder().claimRule("department~eng.* -> engineers"));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of()),
                Map.of("department", "eng" + "a".repeat(300)),
                groups(AppGroup.of("engineers")),
                UserState.newUser());

        assertThat(outcome.desiredGroups()).doesNotContain("engineers");
        assertThat(outcome.traceLines())
                .anySatisfy(line -> assertThat(line).contains("longer than 255 characters not tested"));
    }

    @Test
    void mapWhenHardcodedGroupsThenEveryUserJoinsThoseThatExist() {
        GroupMapper mapper = mapper(MappingConfig.builder().hardcodedGroups("everyone", "gone"));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("admin")), Map.of(), groups(AppGroup.of("everyone")), UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("admin", "everyone");
        assertThat(outcome.trace(Kind.SKIPPED))
                .extracting(Step::message)
                .containsExactly("hardcodedGroups -> 'gone' skipped: app group 'gone' does not exist");
    }

    @Test
    void mapWhenDefaultGroupDoesNotExistThenSkippedAndLowestRoleStillApplies() {
        MappingOutcome outcome = defaultMapper()
                .map(ClaimGroups.of(List.of()), Map.of(), List.of(AppGroup.of("admin")), UserState.newUser());

        assertThat(outcome.desiredGroups()).isEmpty();
        assertThat(outcome.primaryRole()).isEqualTo("end-user");
        assertThat(outcome.trace(Kind.SKIPPED)).hasSize(1);
    }

    @Test
    void mapWhenGroupRolesConfiguredThenGroupGrantsThatRole() {
        GroupMapper mapper = mapper(MappingConfig.builder().groupRole("all apps", "builder"));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("all apps")), Map.of(), groups(AppGroup.of("all apps")), UserState.newUser());

        assertThat(outcome.primaryRole()).isEqualTo("builder");
        assertThat(outcome.desiredGroups()).containsExactly("all apps");
    }

    @Test
    void mapWhenStoredGrantWinsOverConfiguredGrant() {
        GroupMapper mapper = mapper(MappingConfig.builder().groupRole("all apps", "builder"));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("all apps")),
                Map.of(),
                groups(AppGroup.granting("all apps", "admin")),
                UserState.newUser());

        assertThat(outcome.primaryRole()).isEqualTo("admin");
    }

    @Test
    void mapWhenStoredGrantNamesUnknownRoleThenIgnoredWithWarning() {
        MappingOutcome outcome = defaultMapper()
                .map(
                        ClaimGroups.of(List.of("ops")),
                        Map.of(),
                        groups(AppGroup.granting("ops", "superuser")),
                        UserState.newUser());

        assertThat(outcome.primaryRole()).isEqualTo("end-user");
        assertThat(outcome.trace(Kind.WARNING))
                .extracting(Step::message)
                .containsExactly(
                        "app group 'ops' grants role 'superuser', which is not in rolePriority, not declared and not in"
                                + " groupRoles; that grant is ignored");
    }

    @Test
    void mapWhenOtherSourceGroupsGrantRoleThenCountedButNeverTouched() {
        UserState state = UserState.existing(List.of("end-users"), "admin").withOtherGroups(List.of("admin"));

        MappingOutcome outcome = defaultMapper().map(ClaimGroups.of(List.of()), Map.of(), ROLE_GROUPS, state);

        assertThat(outcome.primaryRole()).isEqualTo("admin");
        assertThat(outcome.desiredGroups()).isEmpty();
        assertThat(outcome.toRemove()).containsExactly("end-users");
        assertThat(outcome.toAdd()).isEmpty();
    }

    @Test
    void mapWhenPromoteOnlyAndLoginCarriesNoRoleGrantingGroupThenExistingRoleKept() {
        GroupMapper mapper = mapper(MappingConfig.builder().promoteOnly(true));
        UserState admin = UserState.existing(List.of("admin"), "admin");

        MappingOutcome outcome =
                mapper.map(ClaimGroups.of(List.of("engineers")), Map.of(), groups(AppGroup.of("engineers")), admin);

        assertThat(outcome.primaryRole()).isEqualTo("admin");
        assertThat(outcome.effectiveRoles()).containsExactly("admin", "builder", "end-user");
        assertThat(outcome.traceLines())
                .contains("note: role 'admin' kept (promoteOnly): the login carries no role-granting group");
        MappingOutcome withoutPolicy = defaultMapper()
                .map(ClaimGroups.of(List.of("engineers")), Map.of(), groups(AppGroup.of("engineers")), admin);
        assertThat(withoutPolicy.primaryRole()).isEqualTo("end-user");
    }

    @Test
    void mapWhenPromoteOnlyAndLoginCarriesRoleGrantingGroupThenThatRoleApplies() {
        GroupMapper mapper = mapper(MappingConfig.builder().promoteOnly(true));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("builder")),
                Map.of(),
                ROLE_GROUPS,
                UserState.existing(List.of("admin"), "admin"));

        assertThat(outcome.primaryRole()).isEqualTo("builder");
    }

    @Test
    void mapWhenPromoteOnlyAndFirstLoginThenRoleResolvedNormally() {
        GroupMapper mapper = mapper(MappingConfig.builder().promoteOnly(true));

        MappingOutcome outcome = mapper.map(ClaimGroups.of(List.of()), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.primaryRole()).isEqualTo("end-user");
    }

    @Test
    void mapWhenRoleHierarchyThenEffectiveRolesIncludeEveryLowerRole() {
        MappingOutcome outcome =
                defaultMapper().map(ClaimGroups.of(List.of("builder")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.effectiveRoles()).containsExactly("builder", "end-user");
    }

    @Test
    void mapWhenNoRoleHierarchyThenOnlyThePrimaryRole() {
        MappingOutcome outcome = mapper(MappingConfig.builder().roleHierarchy(false))
                .map(ClaimGroups.of(List.of("admin")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.effectiveRoles()).containsExactly("admin");
    }

    @Test
    void mapWhenNoRoleHierarchyThenEveryRoleTheGroupsGrantIsHeld() {
        MappingOutcome outcome = mapper(MappingConfig.builder().roleHierarchy(false))
                .map(ClaimGroups.of(List.of("builder", "admin")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.primaryRole()).isEqualTo("admin");
        assertThat(outcome.effectiveRoles()).containsExactly("admin", "builder");
    }

    // Several roles: the application's declared roles, unranked roles, groupRoles granting several.

    @Test
    void mapWhenUserInBillingAndSalesThenHoldsBothDeclaredRoles() {
        GroupMapper mapper = mapper(MappingConfig.builder().declaredRoles(List.of("billing", "sales")));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("billing", "sales")),
                Map.of(),
                groups(AppGroup.of("billing"), AppGroup.of("sales")),
                UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("billing", "sales", "end-users");
        assertThat(outcome.effectiveRoles()).containsExactly("end-user", "billing", "sales");
        assertThat(outcome.primaryRole()).isEqualTo("end-user");
    }

    @Test
    void mapWhenUserInSalesOnlyThenBillingIsNotHeld() {
        GroupMapper mapper = mapper(MappingConfig.builder().declaredRoles(List.of("billing", "sales")));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("sales")),
                Map.of(),
                groups(AppGroup.of("billing"), AppGroup.of("sales")),
                UserState.newUser());

        assertThat(outcome.effectiveRoles()).contains("sales").doesNotContain("billing");
    }

    @Test
    void mapWhenDeclaredRolesAndNoMappingParametersThenIdpGroupsMapByNameWithoutStoredGroups() {
        // Nothing stored yet (a dry run before the first start): the configuration alone knows the role groups.
        MappingConfig config = MappingConfig.parse(Map.of(), List.of("billing", "audit"));

        MappingOutcome outcome = new GroupMapper(config)
                .map(
                        ClaimGroups.of(List.of("billing", "audit", "sales")),
                        Map.of(),
                        groups(AppGroup.of("billing"), AppGroup.of("audit")),
                        UserState.newUser());

        assertThat(config.declaredRoles()).containsExactly("billing", "audit");
        assertThat(outcome.effectiveRoles()).containsExactly("end-user", "billing", "audit");
        assertThat(outcome.traceLines())
                .contains(
                        "note: role 'billing' granted by app group 'billing' (unranked)",
                        "note: role 'audit' granted by app group 'audit' (unranked)");
    }

    @Test
    void mapWhenDeclaredRolesOffThenDeclaredRoleGroupsGrantNothing() {
        MappingConfig config = MappingConfig.parse(Map.of("declaredRoles", "false"), List.of("billing"));

        MappingOutcome outcome = new GroupMapper(config)
                .map(ClaimGroups.of(List.of("billing")), Map.of(), groups(AppGroup.of("billing")), UserState.newUser());

        assertThat(config.declaredRoles()).isEmpty();
        assertThat(outcome.effectiveRoles()).containsExactly("end-user");
    }

    @Test
    void mapWhenGroupGrantsTwoRolesThenBothHeld() {
        GroupMapper mapper = new GroupMapper(
                MappingConfig.parse(Map.of("groupRoles", "ops = billing, audit"), List.of("billing", "audit")));

        MappingOutcome outcome =
                mapper.map(ClaimGroups.of(List.of("ops")), Map.of(), groups(AppGroup.of("ops")), UserState.newUser());

        assertThat(outcome.effectiveRoles()).containsExactly("end-user", "billing", "audit");
        assertThat(outcome.traceLines())
                .contains(
                        "note: role 'billing' granted by app group 'ops' (unranked)",
                        "note: role 'audit' granted by app group 'ops' (unranked)");
    }

    @Test
    void mapWhenRankedAndUnrankedRolesTogetherThenPrimaryIsRankedAndBothHeld() {
        GroupMapper mapper = new GroupMapper(
                MappingConfig.parse(Map.of("groupRoles", "all apps = builder, approver"), List.of("approver")));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("all apps")),
                Map.of(),
                groups(AppGroup.of("all apps"), AppGroup.of("approver")),
                UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("all apps");
        assertThat(outcome.primaryRole()).isEqualTo("builder");
        assertThat(outcome.effectiveRoles()).containsExactly("builder", "end-user", "approver");
    }

    @Test
    void mapWhenHierarchyThenItAppliesOnlyToRankedRoles() {
        // 'audit' is unranked: holding it implies nothing, and 'admin' does not imply it.
        GroupMapper mapper = mapper(MappingConfig.builder().declaredRoles(List.of("audit", "billing")));

        MappingOutcome admin = mapper.map(
                ClaimGroups.of(List.of("admin")),
                Map.of(),
                groups(AppGroup.of("audit"), AppGroup.of("billing")),
                UserState.newUser());
        MappingOutcome auditor = mapper.map(
                ClaimGroups.of(List.of("audit")),
                Map.of(),
                groups(AppGroup.of("audit"), AppGroup.of("billing")),
                UserState.newUser());

        assertThat(admin.effectiveRoles()).containsExactly("admin", "builder", "end-user");
        assertThat(auditor.effectiveRoles()).containsExactly("end-user", "audit");
        assertThat(auditor.primaryRole()).isEqualTo("end-user");
    }

    @Test
    void mapWhenUnrankedRoleOnlyThenDefaultGroupStillGivesTheLowestRole() {
        GroupMapper mapper = mapper(MappingConfig.builder().declaredRoles(List.of("billing")));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("billing")), Map.of(), groups(AppGroup.of("billing")), UserState.newUser());

        assertThat(outcome.toAdd()).containsExactly("billing", "end-users");
        assertThat(outcome.trace(Kind.FIRED))
                .extracting(Step::message)
                .contains("defaultGroup: no other group grants a ranked role -> app group 'end-users'");
    }

    @Test
    void mapWhenStoredGrantsSeveralRolesThenAllHeld() {
        GroupMapper mapper = mapper(MappingConfig.builder().declaredRoles(List.of("billing", "audit")));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("finance")),
                Map.of(),
                groups(AppGroup.granting("finance", "builder", "billing", "audit")),
                UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("finance");
        assertThat(outcome.effectiveRoles()).containsExactly("builder", "end-user", "billing", "audit");
    }

    @Test
    void requestRolesWhenGroupsAsRolesThenAppGroupsAnswerIsUserInRoleButUnmappedIdpGroupsDoNot() {
        MappingConfig config = MappingConfig.defaults();
        MappingOutcome outcome = new GroupMapper(config)
                .map(
                        ClaimGroups.of(List.of("engineers", "contractors")),
                        Map.of(),
                        groups(AppGroup.of("engineers")),
                        UserState.newUser());

        assertThat(config.requestRoles(outcome.effectiveRoles(), outcome.desiredGroups()))
                .containsExactly("end-user", "engineers", "end-users")
                .doesNotContain("contractors");
    }

    @Test
    void requestRolesWhenGroupsAsRolesOffThenOnlyRoles() {
        MappingConfig config = MappingConfig.builder().groupsAsRoles(false).build();
        MappingOutcome outcome = new GroupMapper(config)
                .map(
                        ClaimGroups.of(List.of("engineers")),
                        Map.of(),
                        groups(AppGroup.of("engineers")),
                        UserState.newUser());

        assertThat(config.requestRoles(outcome.effectiveRoles(), outcome.desiredGroups()))
                .containsExactly("end-user");
    }

    @Test
    void mapWhenPromoteOnlyAndLoginCarriesOnlyUnrankedRolesThenRankedRoleKept() {
        GroupMapper mapper = mapper(MappingConfig.builder().promoteOnly(true).declaredRoles(List.of("billing")));
        UserState state = UserState.existing(List.of("admin"), "admin");

        MappingOutcome outcome =
                mapper.map(ClaimGroups.of(List.of("billing")), Map.of(), groups(AppGroup.of("billing")), state);

        assertThat(outcome.primaryRole()).isEqualTo("admin");
        assertThat(outcome.effectiveRoles()).contains("admin", "billing");
    }

    @Test
    void mapWhenTooManyGroupsThenRefusedNamingCountNotList() {
        GroupMapper mapper = mapper(MappingConfig.builder().maxGroups(3));
        List<String> names = List.of("alpha", "beta", "gamma", "delta");

        assertThatThrownBy(() -> mapper.map(ClaimGroups.of(names), Map.of(), ROLE_GROUPS, UserState.newUser()))
                .isInstanceOf(MembershipSyncException.class)
                .hasMessageContaining("lists 4 groups, more than maxGroups (3)")
                .message()
                .doesNotContain("alpha", "delta");
    }

    @Test
    void mapWhenGroupNameTooLongThenRefusedNamingLength() {
        GroupMapper mapper = defaultMapper();
        String longName = "n".repeat(50) + "SECRET-TAIL" + "n".repeat(250);

        assertThatThrownBy(() -> mapper.map(
                        ClaimGroups.of(List.of("admin", longName)), Map.of(), ROLE_GROUPS, UserState.newUser()))
                .isInstanceOf(MembershipSyncException.class)
                .hasMessageContaining(
                        "Group 2 of 2 in the groups claim is 311 characters long, more than maxGroupNameLength (255)")
                .message()
                .doesNotContain("SECRET-TAIL");
    }

    @Test
    void explainWhenBoundsExceededThenRefusesLikeMap() {
        GroupMapper mapper = mapper(MappingConfig.builder().maxGroups(1));

        assertThatThrownBy(() ->
                        mapper.explain(ClaimGroups.of(List.of("a", "b")), Map.of(), ROLE_GROUPS, UserState.newUser()))
                .isInstanceOf(MembershipSyncException.class);
    }

    @Test
    void mapWhenCaseSensitiveThenCaseVariantsDoNotMatch() {
        MappingOutcome outcome = defaultMapper()
                .map(ClaimGroups.of(List.of("ADMIN", "Builder")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("end-users");
        assertThat(outcome.primaryRole()).isEqualTo("end-user");
    }

    @Test
    void mapWhenCaseInsensitiveThenFoldsWithRootLocaleEvenUnderTurkishDefault() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(new Locale("tr", "TR"));
            GroupMapper mapper =
                    mapper(MappingConfig.builder().caseInsensitive(true).groupMapping("INFRA", "ops"));
            List<AppGroup> appGroups = groups(AppGroup.of("ops"), AppGroup.of("infra"), AppGroup.of("billing"));

            MappingOutcome outcome = mapper.map(
                    ClaimGroups.of(List.of("ADMIN", "BILLING", "infra", "İNFRA")),
                    Map.of(),
                    appGroups,
                    UserState.existing(List.of("Admin"), "admin"));

            @SuppressWarnings("StringCaseLocaleUsage") // the point: the default locale's folding
            String folded = "ADMIN".toLowerCase();
            assertThat(folded).as("the default locale really is Turkish").isEqualTo("admın");
            assertThat(outcome.desiredGroups()).containsExactly("admin", "billing", "ops");
            assertThat(outcome.toAdd()).containsExactly("billing", "ops");
            assertThat(outcome.toRemove()).isEmpty();
            assertThat(outcome.primaryRole()).isEqualTo("admin");
            assertThat(outcome.traceLines()).anySatisfy(line -> assertThat(line).contains("'İNFRA'", "ignored"));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void mapWhenCaseInsensitiveThenLowercaseAndUppercaseIBothFoldToPlainI() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(new Locale("tr", "TR"));
            GroupMapper mapper = mapper(MappingConfig.builder().caseInsensitive(true));

            MappingOutcome upper =
                    mapper.map(ClaimGroups.of(List.of("IT")), Map.of(), groups(AppGroup.of("it")), UserState.newUser());
            MappingOutcome dotted =
                    mapper.map(ClaimGroups.of(List.of("İT")), Map.of(), groups(AppGroup.of("it")), UserState.newUser());

            assertThat(upper.desiredGroups()).startsWith("it");
            assertThat(dotted.desiredGroups()).doesNotContain("it");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void mapWhenCaseInsensitiveAndAppGroupsDifferOnlyByCaseThenWarnsAndUsesTheFirst() {
        GroupMapper mapper = mapper(MappingConfig.builder().caseInsensitive(true));

        MappingOutcome outcome = mapper.map(
                ClaimGroups.of(List.of("OPS")),
                Map.of(),
                groups(AppGroup.of("Ops"), AppGroup.of("ops")),
                UserState.newUser());

        assertThat(outcome.desiredGroups()).startsWith("Ops");
        assertThat(outcome.trace(Kind.WARNING))
                .extracting(Step::message)
                .containsExactly(
                        "app groups 'Ops' and 'ops' differ only by case; caseInsensitive treats them as one, 'Ops'");
        MappingOutcome again = mapper.map(
                ClaimGroups.of(List.of("OPS")),
                Map.of(),
                groups(AppGroup.of("Ops"), AppGroup.of("ops")),
                UserState.newUser());
        assertThat(again.trace(Kind.WARNING))
                .as("the trace warns on every run; only the log is deduplicated")
                .hasSize(1);
    }

    @Test
    void mapWhenLowestRoleNameUsedAsTargetThenResolvesToDefaultGroup() {
        GroupMapper mapper = mapper(MappingConfig.builder().groupMapping("staff", "end-user"));

        MappingOutcome outcome =
                mapper.map(ClaimGroups.of(List.of("staff")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.desiredGroups()).containsExactly("end-users");
        assertThat(outcome.trace(Kind.FIRED))
                .extracting(Step::message)
                .containsExactly("groupMappings: IdP group 'staff' -> app group 'end-users'");
    }

    @Test
    void mapWhenDuplicateIdpGroupsThenMappedOnce() {
        MappingOutcome outcome = defaultMapper()
                .map(ClaimGroups.of(List.of("admin", "admin")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThat(outcome.toAdd()).containsExactly("admin");
        assertThat(outcome.trace(Kind.FIRED)).hasSize(1);
    }

    @Test
    void explainReturnsTheSameOutcomeAsMap() {
        GroupMapper mapper = mapper(MappingConfig.builder()
                .groupMapping("engineers", "all apps", "ghost")
                .claimRule("department=ops -> ops")
                .hardcodedGroups("everyone"));
        List<AppGroup> appGroups =
                groups(AppGroup.granting("all apps", "builder"), AppGroup.of("ops"), AppGroup.of("everyone"));
        UserState state = UserState.existing(List.of("admin"), "admin");
        ClaimGroups claim = ClaimGroups.of(List.of("engineers", "unknown"));
        Map<String, Object> claims = Map.of("department", "ops");

        MappingOutcome explained = mapper.explain(claim, claims, appGroups, state);

        assertThat(explained).isEqualTo(mapper.map(claim, claims, appGroups, state));
        assertThat(explained.toRemove()).containsExactly("admin");
        assertThat(explained.trace()).extracting(Step::kind).contains(Kind.FIRED, Kind.SKIPPED, Kind.NOTE);
    }

    @Test
    void outcomeWhenBuiltThenListsCannotBeModified() {
        MappingOutcome outcome =
                defaultMapper().map(ClaimGroups.of(List.of("admin")), Map.of(), ROLE_GROUPS, UserState.newUser());

        assertThatThrownBy(() -> outcome.desiredGroups().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> outcome.effectiveRoles().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> outcome.trace().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void mapWhenArgumentMissingThenNamesIt() {
        GroupMapper mapper = defaultMapper();

        assertThatThrownBy(() -> mapper.map(null, Map.of(), ROLE_GROUPS, UserState.newUser()))
                .hasMessage("groups");
        assertThatThrownBy(() -> mapper.map(
                        ClaimGroups.missing(), Map.of(), Collections.singletonList(null), UserState.newUser()))
                .hasMessage("app group");
    }

    private static GroupMapper defaultMapper() {
        return new GroupMapper(MappingConfig.defaults());
    }

    private static GroupMapper mapper(MappingConfig.Builder config) {
        return new GroupMapper(config.build());
    }

    /** The role groups plus {@code extra}. */
    private static List<AppGroup> groups(AppGroup... extra) {
        List<AppGroup> all = new ArrayList<>(ROLE_GROUPS);
        all.addAll(List.of(extra));
        return all;
    }
}
