package dev.rolebridge.sample;

import static dev.rolebridge.sample.testing.WebUser.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.sample.testing.KeycloakServer;
import dev.rolebridge.sample.testing.WebUser;
import java.nio.file.Path;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample against a real Keycloak, signed into through Keycloak's own login form. The realm
 * ({@code src/test/keycloak/expense-tracker-realm.json}, the one the README's Keycloak instructions import) has
 * groups {@code admin}, {@code engineers} and the nested {@code /tenant-b/admin}, and two confidential clients
 * whose Group Membership mappers put the groups into the {@code groups} claim as names
 * ({@code expense-tracker}) or as full paths ({@code expense-tracker-paths}).
 */
class KeycloakIT {

    private static final String REALM = "expense-tracker";
    private static final String SECRET = "expense-tracker-secret";

    private static KeycloakServer keycloak;
    private static int appPort;

    @BeforeAll
    static void startKeycloak() {
        appPort = Integer.getInteger("rolebridge.it.keycloak.appPort", 18181);
        int port = Integer.getInteger("rolebridge.it.keycloak.port", 18180);
        Path target = Path.of(System.getProperty("rolebridge.it.buildDirectory", "target"));
        keycloak = KeycloakServer.start(
                Path.of(System.getProperty("rolebridge.it.keycloakHome")),
                port,
                Integer.getInteger("rolebridge.it.keycloak.managementPort", 18182),
                Path.of("src/test/keycloak/expense-tracker-realm.json"),
                Map.of("EXPENSE_TRACKER_URL", "http://localhost:" + appPort + SampleServer.CONTEXT_PATH),
                target.resolve("keycloak.log"));
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private static SampleServer application(String clientId) throws Exception {
        return SampleServer.start(appPort, new SampleServer.Provider(keycloak.discoveryUri(REALM), clientId, SECRET));
    }

    /** Signs {@code user} in through Keycloak's login form as {@code name}, whose password in the realm is the name. */
    private static Document signIn(WebUser user, String url, String name) {
        return user.signInAtKeycloak(url, name, name);
    }

    @Test
    void groupNamesFromKeycloaksLoginFormBecomeRolesAndSignOutEndsTheKeycloakSession() throws Exception {
        try (SampleServer app = application("expense-tracker")) {
            WebUser alice = new WebUser();

            Document me = signIn(alice, app.url("/me"), "alice");

            assertThat(me.location()).isEqualTo(app.url("/me"));
            assertThat(text(me, "user")).isEqualTo("alice");
            assertThat(text(me, "issuer")).isEqualTo(keycloak.issuer(REALM));
            assertThat(text(me, "provider-groups")).isEqualTo("admin");
            assertThat(text(me, "employee-role")).isEqualTo("admin");
            assertThat(alice.get(app.url("/admin/")).statusCode()).isEqualTo(200);

            WebUser carol = new WebUser();
            signIn(carol, app.url("/home"), "carol");
            assertThat(carol.get(app.url("/admin/")).statusCode()).isEqualTo(403);

            Document afterLogout = alice.signOut(app.url("/home"));
            assertThat(afterLogout.getElementById("kc-form-login"))
                    .as("signed out here and at Keycloak: the next page asks for the password again")
                    .isNotNull();
            assertThat(alice.open(app.url("/home")).getElementById("kc-form-login"))
                    .isNotNull();
        }
    }

    @Test
    void twoKeycloakGroupsNamedLikeTwoDeclaredRolesGiveBothRolesWithNoMappingParameters() throws Exception {
        // erin is in the Keycloak groups approver and auditor; the sample declares both roles (web.xml and
        // @DeclareRoles) and has no mapping line for either
        try (SampleServer app = application("expense-tracker")) {
            WebUser erin = new WebUser();

            Document me = signIn(erin, app.url("/me"), "erin");

            assertThat(text(me, "provider-groups")).isEqualTo("approver, auditor");
            assertThat(me.select("#roles li").eachText()).containsExactly("end-user", "approver", "auditor");
            assertThat(erin.get(app.url("/approvals/")).statusCode()).isEqualTo(200);
            assertThat(erin.get(app.url("/reports")).statusCode()).isEqualTo(200);
            assertThat(erin.get(app.url("/admin/")).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void withGroupNamesANestedGroupIsIndistinguishableFromTheTopLevelOne() throws Exception {
        try (SampleServer app = application("expense-tracker")) {
            WebUser dave = new WebUser();

            Document me = signIn(dave, app.url("/me"), "dave");

            assertThat(text(me, "provider-groups"))
                    .as("Keycloak sends only the last segment of /tenant-b/admin")
                    .isEqualTo("admin");
            assertThat(dave.get(app.url("/admin/")).statusCode())
                    .as("which is why the full-path setting matters")
                    .isEqualTo(200);
        }
    }

    @Test
    void withFullPathsTheNestedGroupStaysItsOwnGroupAndGrantsNoAdminRole() throws Exception {
        try (SampleServer app = application("expense-tracker-paths")) {
            WebUser dave = new WebUser();
            Document me = signIn(dave, app.url("/me"), "dave");

            assertThat(text(me, "provider-groups")).isEqualTo("/tenant-b/admin");
            assertThat(text(me, "employee-role")).isEqualTo("end-user");
            assertThat(dave.get(app.url("/admin/")).statusCode()).isEqualTo(403);

            WebUser bob = new WebUser();
            me = signIn(bob, app.url("/me"), "bob");
            assertThat(text(me, "provider-groups")).isEqualTo("/engineers");
        }
    }
}
