package dev.rolebridge.internal.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import dev.rolebridge.internal.config.Parameter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MappingConfigTest {

    @Test
    void parseWhenNoParametersThenDefaults() {
        MappingConfig config = MappingConfig.parse(Map.of());

        assertThat(config.rolePriority()).containsExactly("admin", "builder", "end-user");
        assertThat(config.lowestRole()).isEqualTo("end-user");
        assertThat(config.defaultGroup()).isEqualTo("end-users");
        assertThat(config.groupRoles()).isEmpty();
        assertThat(config.groupMappings()).isEmpty();
        assertThat(config.claimRules()).isEmpty();
        assertThat(config.hardcodedGroups()).isEmpty();
        assertThat(config.syncMode()).isEqualTo(SyncMode.FORCE);
        assertThat(config.caseInsensitive()).isFalse();
        assertThat(config.autoCreateGroups()).isFalse();
        assertThat(config.promoteOnly()).isFalse();
        assertThat(config.roleHierarchy()).isTrue();
        assertThat(config.maxGroups()).isEqualTo(1000);
        assertThat(config.maxGroupNameLength()).isEqualTo(255);
    }

    @Test
    void parseWhenValuesBlankThenDefaults() {
        Map<String, String> params = new HashMap<>();
        Parameter.namesOf(Parameter.Part.MAPPING).forEach(name -> params.put(name, "  \n "));

        MappingConfig config = MappingConfig.parse(params);

        assertThat(config.rolePriority()).containsExactly("admin", "builder", "end-user");
        assertThat(config.maxGroups()).isEqualTo(1000);
        assertThat(config.roleHierarchy()).isTrue();
    }

    @Test
    void parseWhenOtherFiltersParametersPresentThenIgnored() {
        MappingConfig config =
                MappingConfig.parse(Map.of("clientId", "app", "discoveryUri", "not a url", "syncMode", "IMPORT"));

        assertThat(config.syncMode()).isEqualTo(SyncMode.IMPORT);
    }

    @Test
    void parameterNamesAreThePublicContract() {
        assertThat(Parameter.namesOf(Parameter.Part.MAPPING))
                .containsExactly(
                        "rolePriority",
                        "defaultGroup",
                        "groupRoles",
                        "groupMappings",
                        "claimRules",
                        "hardcodedGroups",
                        "syncMode",
                        "caseInsensitive",
                        "autoCreateGroups",
                        "promoteOnly",
                        "maxGroups",
                        "maxGroupNameLength",
                        "roleHierarchy",
                        "declaredRoles",
                        "groupsAsRoles",
                        "maxCreatedGroupsPerLogin",
                        "maxCreatedGroups");
    }

    @Test
    void parseWhenEveryParameterSetThenEveryValueRead() {
        MappingConfig config = MappingConfig.parse(Map.ofEntries(
                entry("rolePriority", " owner ,editor, viewer "),
                entry("defaultGroup", "viewers"),
                entry("groupRoles", "staff = editor"),
                entry("groupMappings", "engineers = staff"),
                entry("claimRules", "email_verified=true -> staff"),
                entry("hardcodedGroups", "everyone, staff"),
                entry("syncMode", "add-only"),
                entry("caseInsensitive", "TRUE"),
                entry("autoCreateGroups", "true"),
                entry("promoteOnly", "True"),
                entry("maxGroups", "50"),
                entry("maxGroupNameLength", "64"),
                entry("roleHierarchy", "false"),
                entry("declaredRoles", "false"),
                entry("groupsAsRoles", "false"),
                entry("maxCreatedGroupsPerLogin", "3"),
                entry("maxCreatedGroups", "30")));

        assertThat(config.rolePriority()).containsExactly("owner", "editor", "viewer");
        assertThat(config.defaultGroup()).isEqualTo("viewers");
        assertThat(config.groupRoles()).containsExactly(entry("staff", List.of("editor")));
        assertThat(config.groupMappings()).containsExactly(entry("engineers", List.of("staff")));
        assertThat(config.claimRules()).extracting(ClaimRule::group).containsExactly("staff");
        assertThat(config.hardcodedGroups()).containsExactly("everyone", "staff");
        assertThat(config.syncMode()).isEqualTo(SyncMode.ADD_ONLY);
        assertThat(config.caseInsensitive()).isTrue();
        assertThat(config.autoCreateGroups()).isTrue();
        assertThat(config.promoteOnly()).isTrue();
        assertThat(config.maxGroups()).isEqualTo(50);
        assertThat(config.maxGroupNameLength()).isEqualTo(64);
        assertThat(config.roleHierarchy()).isFalse();
        assertThat(config.useDeclaredRoles()).isFalse();
        assertThat(config.groupsAsRoles()).isFalse();
        assertThat(config.maxCreatedGroupsPerLogin()).isEqualTo(3);
        assertThat(config.maxCreatedGroups()).isEqualTo(30);
    }

    @Test
    void parseWhenNothingSetThenDeclaredRolesAndGroupsAsRolesAreOn() {
        MappingConfig config = MappingConfig.parse(Map.of(), List.of("billing"));

        assertThat(config.useDeclaredRoles()).isTrue();
        assertThat(config.groupsAsRoles()).isTrue();
        assertThat(config.roles()).containsExactly("admin", "builder", "end-user", "billing");
        assertThat(config.configuredGrants())
                .containsExactly(
                        entry("admin", Set.of("admin")),
                        entry("builder", Set.of("builder")),
                        entry("end-users", Set.of("end-user")),
                        entry("billing", Set.of("billing")));
    }

    @Test
    void parseWhenDeclaredRoleIsRankedThenItStaysRankedWithoutASecondGroup() {
        MappingConfig config = MappingConfig.parse(Map.of(), List.of("admin", "end-user", "approver"));

        assertThat(config.declaredRoles()).containsExactly("approver");
        assertThat(config.configuredGrants()).containsOnlyKeys("admin", "builder", "end-users", "approver");
    }

    @Test
    void parseWhenGroupRolesListsSeveralRolesThenGroupGrantsEach() {
        MappingConfig config = MappingConfig.parse(
                Map.of("groupRoles", "ops = billing, audit\nops = builder"), List.of("billing", "audit"));

        assertThat(config.groupRoles()).containsExactly(entry("ops", List.of("billing", "audit", "builder")));
        assertThat(config.configuredGrants().get("ops")).containsExactly("billing", "audit", "builder");
    }

    @Test
    void parseWhenGroupRolesNamesDeclaredRoleWithDeclaredRolesOffThenAccepted() {
        MappingConfig config = MappingConfig.parse(
                Map.of("groupRoles", "ops = billing", "declaredRoles", "false"), List.of("billing"));

        assertThat(config.declaredRoles()).isEmpty();
        assertThat(config.roles()).containsExactly("admin", "builder", "end-user", "billing");
        assertThat(config.configuredGrants()).containsOnlyKeys("admin", "builder", "end-users", "ops");
    }

    @Test
    void parseWhenGroupRolesAddsUnrankedRoleToRoleGroupThenAccepted() {
        assertThat(problems(Map.of("groupRoles", "admin = approver"), List.of("approver")))
                .isEmpty();
    }

    @Test
    void parseWhenGroupMappingsThenSplitsOnFirstEqualsAndKeepsSpacesAndPaths() {
        MappingConfig config = MappingConfig.parse(Map.of("groupMappings", """
                engineers = all apps, ops
                /tenant-a/admins = admin
                Site Reliability Team = ops, on=call
                """));

        assertThat(config.groupMappings())
                .containsExactly(
                        entry("engineers", List.of("all apps", "ops")),
                        entry("/tenant-a/admins", List.of("admin")),
                        entry("Site Reliability Team", List.of("ops", "on=call")));
    }

    @Test
    void parseWhenTableUsesSemicolonsCommentsAndBlankLinesThenEveryEntryRead() {
        MappingConfig config = MappingConfig.parse(Map.of("groupMappings", """
                # IdP group = app groups
                engineers = all apps; ops = operators

                   # indented comment; not an entry
                designers = design
                """));

        assertThat(config.groupMappings()).containsOnlyKeys("engineers", "ops", "designers");
    }

    @Test
    void parseWhenSameIdpGroupListedTwiceThenTargetsMerged() {
        MappingConfig config =
                MappingConfig.parse(Map.of("groupMappings", "engineers = all apps\nengineers = ops, all apps"));

        assertThat(config.groupMappings()).containsExactly(entry("engineers", List.of("all apps", "ops")));
    }

    @Test
    void parseWhenGrammarCharactersEscapedThenTheyBelongToTheName() {
        MappingConfig config = MappingConfig.parse(Map.of(
                "groupMappings", "x'\\; DROP TABLE groups\\; -- = R\\&D\\, Oslo\n\\#channel = chat",
                "hardcodedGroups", "a\\,b, DOMAIN\\staff"));

        assertThat(config.groupMappings())
                .containsExactly(
                        entry("x'; DROP TABLE groups; --", List.of("R&D, Oslo")), entry("#channel", List.of("chat")));
        assertThat(config.hardcodedGroups()).containsExactly("a,b", "DOMAIN\\staff");
    }

    @Test
    void parseWhenGroupRolesThenSplitsOnLastEquals() {
        MappingConfig config = MappingConfig.parse(Map.of("groupRoles", "all apps = builder; a=b = end-user"));

        assertThat(config.groupRoles())
                .containsExactly(entry("all apps", List.of("builder")), entry("a=b", List.of("end-user")));
    }

    @Test
    void parseWhenGroupRolesNamesUnknownRoleThenErrorNamesParameterValueAndExpectation() {
        assertThatThrownBy(() -> MappingConfig.parse(Map.of("groupRoles", "all apps = superuser")))
                .isInstanceOf(MappingConfigException.class)
                .hasMessageContaining("groupRoles: 'all apps = superuser'")
                .hasMessageContaining("'superuser'")
                .hasMessageContaining("expected one of 'admin, builder, end-user'");
    }

    @Test
    void parseWhenGroupRolesContradictsRoleGroupThenError() {
        assertThat(problems(Map.of("groupRoles", "admin = builder")))
                .singleElement()
                .asString()
                .contains("groupRoles: 'admin = builder'", "already grants 'admin'");
    }

    @Test
    void parseWhenGroupRolesNamesUndeclaredRoleThenErrorListsTheDeclaredOnes() {
        assertThat(problems(Map.of("groupRoles", "ops = biling"), List.of("billing", "audit")))
                .singleElement()
                .asString()
                .contains(
                        "groupRoles: 'ops = biling' names role 'biling'",
                        "a role the application declares",
                        ": audit, billing");
    }

    @Test
    void parseWhenDefaultGroupGrantsHigherRoleThenError() {
        assertThat(problems(Map.of("defaultGroup", "admin")))
                .singleElement()
                .asString()
                .contains("defaultGroup: 'admin'", "expected a group for the lowest role, 'end-user'");
        assertThat(problems(Map.of("groupRoles", "end-users = admin")))
                .singleElement()
                .asString()
                .contains("groupRoles: 'end-users = admin'");
    }

    @Test
    void parseWhenRolePriorityHasDuplicateOrEmptyEntryThenError() {
        assertThat(problems(Map.of("rolePriority", "admin, user, Admin"))).isEmpty();
        assertThat(problems(Map.of("rolePriority", "admin, user, Admin", "caseInsensitive", "true")))
                .singleElement()
                .asString()
                .contains("rolePriority:", "lists 'Admin' twice");
        assertThat(problems(Map.of("rolePriority", "admin,,user")))
                .singleElement()
                .asString()
                .contains("rolePriority: 'admin,,user' has an empty entry");
    }

    @Test
    void parseWhenClaimRulesAskDifferentModesForOneGroupThenError() {
        assertThat(problems(Map.of("claimRules", "a=1 -> staff [FORCE]\nb=2 -> staff [IMPORT]\nc=3 -> staff")))
                .singleElement()
                .asString()
                .contains("claimRules:", "IMPORT", "FORCE", "'staff'", "expected one sync mode per app group");
    }

    @Test
    void parseWhenClaimRuleSetsModeThenItGovernsItsTargetGroupOnly() {
        MappingConfig config = MappingConfig.parse(Map.of("syncMode", "IMPORT", "claimRules", "a=1 -> staff [FORCE]"));

        assertThat(config.syncModeOf("staff")).isEqualTo(SyncMode.FORCE);
        assertThat(config.syncModeOf("others")).isEqualTo(SyncMode.IMPORT);
    }

    @Test
    void parseWhenManyProblemsThenAllReportedOnePerLine() {
        MappingConfigException e = catchThrowableOfType(
                MappingConfigException.class,
                () -> MappingConfig.parse(Map.of(
                        "syncMode", "SOMETIMES",
                        "caseInsensitive", "yes",
                        "maxGroups", "lots",
                        "maxGroupNameLength", "0",
                        "claimRules", "department~[eng -> engineers\ncountry NO -> norway",
                        "groupMappings", "engineers all apps",
                        "groupRoles", "ops = root")));

        assertThat(e.problems()).hasSize(8);
        assertThat(e.getMessage().lines().skip(1)).hasSize(8);
        assertThat(e.getMessage())
                .startsWith("Group mapping is misconfigured (8 problems):")
                .contains("syncMode: 'SOMETIMES' is not a sync mode; expected FORCE, IMPORT or ADD_ONLY")
                .contains("caseInsensitive: 'yes' expected true or false")
                .contains("maxGroups: 'lots' expected a whole number greater than 0")
                .contains("maxGroupNameLength: '0' expected a whole number greater than 0")
                .contains("claimRules: 'department~[eng -> engineers' has an invalid regular expression '[eng'")
                .contains("claimRules: 'country NO -> norway' has condition 'country NO' with neither '=' nor '~'")
                .contains("groupMappings: 'engineers all apps' expected 'IdP group = app group, app group'")
                .contains("groupRoles: 'ops = root' names role 'root'");
        assertThat(e).isInstanceOf(dev.rolebridge.RolebridgeException.class);
    }

    @Test
    void builderWhenSameSettingsThenSameConfigAsParse() {
        MappingConfig built = MappingConfig.builder()
                .groupMapping("engineers", "all apps", "ops")
                .groupRole("all apps", "builder")
                .claimRule("department~eng.* -> engineers [ADD_ONLY]")
                .hardcodedGroups("everyone")
                .promoteOnly(true)
                .build();
        MappingConfig parsed = MappingConfig.parse(Map.of(
                "groupMappings", "engineers = all apps, ops",
                "groupRoles", "all apps = builder",
                "claimRules", "department~eng.* -> engineers [ADD_ONLY]",
                "hardcodedGroups", "everyone",
                "promoteOnly", "true"));

        assertThat(built.groupMappings()).isEqualTo(parsed.groupMappings());
        assertThat(built.groupRoles()).isEqualTo(parsed.groupRoles());
        assertThat(built.claimRules())
                .extracting(ClaimRule::text)
                .isEqualTo(parsed.claimRules().stream().map(ClaimRule::text).toList());
        assertThat(built.hardcodedGroups()).isEqualTo(parsed.hardcodedGroups());
        assertThat(built.syncModeOf("engineers"))
                .isEqualTo(parsed.syncModeOf("engineers"))
                .isEqualTo(SyncMode.ADD_ONLY);
        assertThat(built.promoteOnly()).isEqualTo(parsed.promoteOnly()).isTrue();
    }

    @Test
    void builderWhenBlankNamesThenBuildReportsThem() {
        MappingConfig.Builder builder = MappingConfig.builder()
                .groupMapping(" ", "x")
                .hardcodedGroups("a", "")
                .maxGroups(-1);

        assertThatThrownBy(builder::build)
                .isInstanceOfSatisfying(
                        MappingConfigException.class,
                        e -> assertThat(e.problems()).hasSize(3));
    }

    @Test
    void configWhenBuiltThenCollectionsCannotBeModified() {
        MappingConfig config = MappingConfig.parse(Map.of("groupMappings", "a = b", "hardcodedGroups", "c"));

        assertThatThrownBy(() -> config.groupMappings().get("a").add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.hardcodedGroups().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.rolePriority().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static List<String> problems(Map<String, String> params) {
        return problems(params, List.of());
    }

    private static List<String> problems(Map<String, String> params, List<String> declaredRoles) {
        try {
            MappingConfig.parse(params, declaredRoles);
            return List.of();
        } catch (MappingConfigException e) {
            return e.problems();
        }
    }
}
