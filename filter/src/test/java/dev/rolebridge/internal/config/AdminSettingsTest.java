package dev.rolebridge.internal.config;

import static dev.rolebridge.internal.config.TestSettings.parameters;
import static dev.rolebridge.internal.config.TestSettings.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolebridge.config.RolebridgeConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code adminPath}, {@code adminRole}, {@code adminToken} and {@code lockSyncedGroups}, read at start-up. */
class AdminSettingsTest {

    private static final String TOKEN = "a-long-enough-admin-token";

    @Test
    void withoutAdminPathThePageIsOff() {
        assertThat(settings(parameters()).admin()).isNull();
    }

    @Test
    void theDefaultRoleIsTheHighestOfRolePriorityAndATokenIsTakenByReference() {
        Map<String, String> p = parameters();
        p.put("adminPath", "/rolebridge-admin");
        p.put("rolePriority", "owner, member");
        p.put("adminToken", "${env:ADMIN_TOKEN}");
        p.put("lockSyncedGroups", "true");

        AdminSettings admin = RolebridgeSettings.fromParameters(
                        p, "/legacy", name -> name.equals("ADMIN_TOKEN") ? TOKEN : null, name -> null)
                .admin();

        assertThat(admin.path()).isEqualTo("/rolebridge-admin");
        assertThat(admin.role()).isEqualTo("owner");
        assertThat(admin.lockSyncedGroups()).isTrue();
        assertThat(admin.acceptsToken(TOKEN)).isTrue();
        assertThat(admin.acceptsToken(TOKEN + "x")).isFalse();
        assertThat(admin.covers("/rolebridge-admin/api/rules")).isTrue();
        assertThat(admin.covers("/rolebridge-administration")).isFalse();
        assertThat(admin.toString()).doesNotContain(TOKEN);
    }

    @Test
    void aBadPathAnUnknownRoleAndALiteralTokenAreRefusedTogetherWithoutShowingTheToken() {
        Map<String, String> p = parameters();
        p.put("adminPath", "admin");
        p.put("adminRole", "pilot");
        p.put("adminToken", TOKEN);

        RolebridgeConfigurationException refused = org.junit.jupiter.api.Assertions.assertThrows(
                RolebridgeConfigurationException.class, () -> settings(p));

        assertThat(refused.problems())
                .anySatisfy(line -> assertThat(line).startsWith("adminPath: 'admin' expected a path"))
                .anySatisfy(line -> assertThat(line).startsWith("adminRole: 'pilot' names no role"))
                .anySatisfy(line -> assertThat(line).startsWith("adminToken: (value hidden) expected a reference"));
        assertThat(refused.getMessage()).doesNotContain(TOKEN);
    }

    @Test
    void thePageMayNotTakeTheFiltersOwnOrTheScimPath() {
        for (String path : new String[] {"/logout", "/scim", "/scim/v2"}) {
            Map<String, String> p = parameters();
            p.put("adminPath", path);
            assertThatThrownBy(() -> settings(p))
                    .as(path)
                    .isInstanceOf(RolebridgeConfigurationException.class)
                    .hasMessageContaining("adminPath: '" + path + "' must neither contain nor lie below");
        }
    }

    @Test
    void anAdminTokenOrRoleWithoutAdminPathIsAMistakeSaidAtStartUp() {
        Map<String, String> p = parameters();
        p.put("adminRole", "admin");
        assertThatThrownBy(() -> settings(p))
                .hasMessageContaining("adminRole")
                .hasMessageContaining("without adminPath");
    }

    @Test
    void withAdminPathAndNoScimTokenTheScimEndpointExistsWithoutAConfiguredToken() {
        Map<String, String> p = parameters();
        p.put("adminPath", "/rolebridge-admin");
        ScimSettings scim = settings(p).scim();
        assertThat(scim).isNotNull();
        assertThat(scim.hasConfiguredToken()).isFalse();
        assertThat(scim.accepts("anything")).isFalse();
    }
}
