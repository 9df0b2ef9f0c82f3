package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolebridge.internal.store.MembershipStore;
import dev.rolebridge.internal.store.StoredUser;
import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.RolebridgeTestApp;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.TestApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The administration JSON API and pages over HTTP in a real container: who may call them (anonymous 401 or a
 * redirect, non-administrator 403, cross-origin refused, CSRF token required on forms, the adminToken for
 * automation), every operation, and that what is saved applies from the next login.
 */
class AdminApiIT {

    private static final String ADMIN = "/rolebridge-admin";
    private static final String TOKEN = "admin-token-for-the-tests-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RolebridgeTestApp<ScriptedProvider> app = RolebridgeTestApp.with(ScriptedProvider::new)
            .param("adminPath", ADMIN)
            .param("adminToken", "sha256:" + ScimIT.sha256(TOKEN))
            .param("groupMappings", "engineers = builder")
            .param("roleRefreshSeconds", "1");

    @BeforeEach
    void reset() {
        app.provider().reset();
    }

    private static String origin() {
        URI uri = URI.create(app.url("/"));
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }

    /** A browser signed in as {@code subject} with these provider groups. */
    private static Browser signedIn(String subject, List<String> groups) {
        app.provider()
                .idTokenClaims(b ->
                        b.subject(subject).claim("preferred_username", subject).claim("groups", groups));
        Browser browser = new Browser();
        assertThat(browser.open(app.url("/me")).body()).contains("remoteUser=" + subject);
        return browser;
    }

    private static Browser admin() {
        return signedIn("ada-" + UUID.randomUUID().toString().substring(0, 6), List.of("admin"));
    }

    private static HttpResponse<String> api(Browser browser, String method, String path, String body) {
        return browser.send(
                method,
                app.url(ADMIN + "/api" + path),
                body == null ? null : "application/json",
                body,
                "Origin",
                origin(),
                "Sec-Fetch-Site",
                "same-origin");
    }

    private static JsonNode json(HttpResponse<String> answer, int status) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(answer.body());
    }

    private static String rolesOf(Browser browser) {
        return browser.get(app.url("/me?role=admin&role=builder&role=end-user")).body();
    }

    private static MembershipStore store() {
        return ((RolebridgeFilter) app.app().contextAttribute(RolebridgeFilter.class.getName())).store();
    }

    private static long userId(String subject) {
        return store().findUser(app.provider().issuer(), subject)
                .map(StoredUser::id)
                .orElseThrow();
    }

    // --- who may call it

    @Test
    void anonymousApiCallsGet401AndPagesSendTheBrowserToTheProvider() throws Exception {
        HttpResponse<String> api = new Browser().get(app.url(ADMIN + "/api/rules"));
        assertThat(json(api, 401).get("error").asText()).contains("Sign in");
        assertThat(api.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(api.headers().firstValue("Location")).isEmpty();

        HttpResponse<String> page = new Browser().get(app.url(ADMIN + "/rules"));
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow())
                .startsWith(app.provider().issuer());
    }

    @Test
    void aSignedInUserWithoutTheAdminRoleGets403() throws Exception {
        Browser builder = signedIn("bob-builder", List.of("builder"));
        assertThat(json(api(builder, "GET", "/rules", null), 403).get("error").asText())
                .contains("admin");
        HttpResponse<String> page = builder.get(app.url(ADMIN + "/"));
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("does not hold the role").doesNotContain("<form");
    }

    @Test
    void sessionRequestsFromAnotherSiteOrWithoutAnOriginAreRefused() throws Exception {
        Browser admin = admin();
        HttpResponse<String> crossSite =
                admin.send("GET", app.url(ADMIN + "/api/rules"), null, null, "Sec-Fetch-Site", "cross-site");
        json(crossSite, 403);
        HttpResponse<String> otherOrigin = admin.send(
                "POST",
                app.url(ADMIN + "/api/rules"),
                "application/json",
                "{\"kind\":\"hardcodedGroup\",\"text\":\"builder\"}",
                "Origin",
                "https://elsewhere.example");
        json(otherOrigin, 403);
        HttpResponse<String> noOrigin = admin.send(
                "POST",
                app.url(ADMIN + "/api/rules"),
                "application/json",
                "{\"kind\":\"hardcodedGroup\",\"text\":\"builder\"}");
        json(noOrigin, 403);
        assertThat(json(api(admin, "GET", "/rules", null), 200).get("rules").findValuesAsText("kind"))
                .as("nothing was added by the refused requests")
                .doesNotContain("hardcodedGroup");
    }

    @Test
    void theAdminTokenCallsTheApiWithoutASessionAndAWrongOneGets401() throws Exception {
        HttpResponse<String> ok = new Browser()
                .send("GET", app.url(ADMIN + "/api/roles"), null, null, "Authorization", "Bearer " + TOKEN);
        assertThat(json(ok, 200).get("rolePriority").toString()).isEqualTo("[\"admin\",\"builder\",\"end-user\"]");
        HttpResponse<String> wrong = new Browser()
                .send("GET", app.url(ADMIN + "/api/roles"), null, null, "Authorization", "Bearer " + TOKEN + "x");
        json(wrong, 401);
    }

    // --- rules

    @Test
    void aGroupMappingAddedHereAppliesFromTheNextLoginAndCanBeChangedAndDeleted() throws Exception {
        Browser admin = admin();
        assertThat(rolesOf(signedIn("carl-1", List.of("contractors")))).contains("role.builder=false");

        JsonNode added = json(
                api(admin, "POST", "/rules", "{\"kind\":\"groupMapping\",\"text\":\"contractors = builder\"}"), 201);
        long id = added.at("/rules/0/id").asLong();
        assertThat(added.at("/rules/0/origin").asText()).isEqualTo("ADMIN");
        assertThat(rolesOf(signedIn("carl-2", List.of("contractors")))).contains("role.builder=true");

        JsonNode changed = json(api(admin, "PUT", "/rules/" + id, "{\"text\":\"contractors = end-users\"}"), 200);
        assertThat(changed.get("text").asText()).isEqualTo("contractors = end-users");
        assertThat(rolesOf(signedIn("carl-3", List.of("contractors")))).contains("role.builder=false");

        assertThat(api(admin, "DELETE", "/rules/" + id, null).statusCode()).isEqualTo(204);
        assertThat(json(api(admin, "GET", "/rules", null), 200).get("rules").findValuesAsText("text"))
                .doesNotContain("contractors = end-users");
        json(api(admin, "DELETE", "/rules/" + id, null), 404);
    }

    @Test
    void aConfiguredRuleSwitchedOffStopsApplyingAndSwitchedOnAgainApplies() throws Exception {
        Browser admin = admin();
        JsonNode rules = json(api(admin, "GET", "/rules", null), 200).get("rules");
        long configured = -1;
        for (JsonNode rule : rules) {
            if (rule.get("text").asText().equals("engineers = builder")) {
                configured = rule.get("id").asLong();
                assertThat(rule.get("origin").asText()).isEqualTo("CONFIG");
                assertThat(rule.get("inForce").asBoolean()).isTrue();
            }
        }
        assertThat(configured).isPositive();

        JsonNode off = json(api(admin, "POST", "/rules/" + configured + "/disable", null), 200);
        assertThat(off.get("action").asText()).isEqualTo("DISABLE");
        assertThat(rolesOf(signedIn("erin-1", List.of("engineers")))).contains("role.builder=false");
        json(api(admin, "DELETE", "/rules/" + configured, null), 404); // a configured rule is not deleted

        assertThat(api(admin, "DELETE", "/rules/" + off.get("id").asLong(), null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(rolesOf(signedIn("erin-2", List.of("engineers")))).contains("role.builder=true");
    }

    @Test
    void invalidRulesAreRefusedNamingTheFieldAndNothingIsSaved() throws Exception {
        Browser admin = admin();
        JsonNode unknownGroup =
                json(api(admin, "POST", "/rules", "{\"kind\":\"groupMapping\",\"text\":\"x = no-such-group\"}"), 400);
        assertThat(unknownGroup.get("field").asText()).isEqualTo("text");
        assertThat(unknownGroup.get("error").asText()).contains("no-such-group").contains("does not exist");
        JsonNode brokenPattern = json(
                api(admin, "POST", "/rules", "{\"kind\":\"claimRule\",\"text\":\"department~eng[ -> builder\"}"), 400);
        assertThat(brokenPattern.get("field").asText()).isEqualTo("text");
        assertThat(json(api(admin, "POST", "/rules", "{\"kind\":\"nothing\",\"text\":\"a\"}"), 400)
                        .get("field")
                        .asText())
                .isEqualTo("kind");
        assertThat(json(api(admin, "POST", "/rules", "{\"kind\":"), 400)
                        .get("error")
                        .asText())
                .contains("not valid JSON");
        HttpResponse<String> form = admin.send(
                "POST",
                app.url(ADMIN + "/api/rules"),
                "application/x-www-form-urlencoded",
                "kind=hardcodedGroup&text=builder",
                "Origin",
                origin());
        json(form, 415);
        assertThat(json(api(admin, "GET", "/rules", null), 200).get("rules").findValuesAsText("text"))
                .doesNotContain("x = no-such-group");
    }

    @Test
    void aClaimRuleAddedHereFiresAtTheNextLogin() throws Exception {
        Browser admin = admin();
        json(api(admin, "POST", "/rules", "{\"kind\":\"claimRule\",\"text\":\"department=qa -> builder\"}"), 201);
        app.provider()
                .idTokenClaims(b -> b.subject("quinn")
                        .claim("preferred_username", "quinn")
                        .claim("department", "qa")
                        .claim("groups", List.of()));
        Browser quinn = new Browser();
        assertThat(quinn.open(app.url("/me?role=builder")).body()).contains("role.builder=true");
    }

    // --- roles and groups

    @Test
    void theRoleOrderAndAGroupsGrantsAreSetAndValidated() throws Exception {
        Browser admin = admin();
        JsonNode bad =
                json(api(admin, "PUT", "/roles", "{\"rolePriority\":[\"admin\",\"end-user\",\"builder\"]}"), 400);
        assertThat(bad.get("field").asText()).isEqualTo("rolePriority");
        assertThat(bad.get("error").asText()).contains("stays last");
        json(api(admin, "PUT", "/roles", "{\"rolePriority\":[\"admin\",\"builder\"]}"), 400);

        JsonNode group = json(api(admin, "POST", "/groups", "{\"name\":\"ops\",\"roles\":[\"builder\"]}"), 200);
        assertThat(group.get("roles").toString()).isEqualTo("[\"builder\"]");
        JsonNode groups = json(api(admin, "GET", "/groups?limit=500", null), 200);
        assertThat(groups.get("groups").findValuesAsText("name")).contains("ops", "admin", "end-users");
        JsonNode second = json(api(admin, "GET", "/groups?offset=1&limit=1", null), 200);
        assertThat(second.get("total").asInt()).isEqualTo(groups.get("total").asInt());
        assertThat(second.get("groups")).hasSize(1);
        assertThat(second.at("/groups/0/name").asText())
                .isEqualTo(groups.at("/groups/1/name").asText());
        assertThat(json(api(admin, "POST", "/groups", "{\"name\":\"ops\",\"roles\":[\"pilot\"]}"), 400)
                        .get("field")
                        .asText())
                .isEqualTo("roles");
        assertThat(rolesOf(signedIn("olga-ops", List.of("ops")))).contains("role.builder=true");
    }

    // --- dry run

    @Test
    void theDryRunShowsGroupsRolesAndWhyAndWritesNothing() throws Exception {
        Browser admin = admin();
        JsonNode run = json(
                api(
                        admin,
                        "POST",
                        "/dry-run",
                        "{\"claims\":{\"preferred_username\":\"dora\",\"groups\":[\"engineers\"]}}"),
                200);
        assertThat(run.get("groups").toString()).contains("builder");
        assertThat(run.get("primaryRole").asText()).isEqualTo("builder");
        assertThat(run.get("trace").toString()).contains("groupMappings: IdP group 'engineers'");
        assertThat(store().findUser(app.provider().issuer(), "dora")).isEmpty();

        signedIn("dana-dry", List.of("admin"));
        JsonNode forUser = json(
                api(
                        admin,
                        "POST",
                        "/dry-run",
                        "{\"claims\":{\"groups\":[\"engineers\"]},\"userId\":" + userId("dana-dry") + "}"),
                200);
        assertThat(forUser.get("removed").toString()).contains("admin");
        assertThat(forUser.get("added").toString()).contains("builder");
        assertThat(forUser.at("/user/primaryRole").asText()).isEqualTo("admin");
        json(api(admin, "POST", "/dry-run", "{\"claims\":[1,2]}"), 400);
    }

    // --- memberships

    @Test
    void manualMembershipsAreAddedAndRemovedAndReachTheLiveSession() throws Exception {
        Browser admin = admin();
        Browser user = signedIn("mona-manual", List.of());
        long id = userId("mona-manual");
        assertThat(rolesOf(user)).contains("role.builder=false");

        JsonNode added = json(api(admin, "POST", "/users/" + id + "/memberships", "{\"group\":\"builder\"}"), 200);
        assertThat(added.get("memberships"))
                .anySatisfy(m -> assertThat(
                                m.get("group").asText() + "/" + m.get("source").asText())
                        .isEqualTo("builder/MANUAL"));
        assertThat(rolesOf(user)).as("this node's sessions are told at once").contains("role.builder=true");

        JsonNode removed = json(api(admin, "DELETE", "/users/" + id + "/memberships?group=builder", null), 200);
        assertThat(removed.get("memberships").toString()).doesNotContain("MANUAL");
        assertThat(rolesOf(user)).contains("role.builder=false");
        json(api(admin, "POST", "/users/" + id + "/memberships", "{\"group\":\"no-such-group\"}"), 400);
        json(api(admin, "GET", "/users/999999999", null), 404);
    }

    @Test
    void withLockSyncedGroupsManualChangesToSyncedGroupsAreRefusedSayingWhy() throws Exception {
        try (TestApp locked = TestApp.signingInAt(app.provider(), params -> {
            params.put("adminPath", ADMIN);
            params.put("adminToken", "sha256:" + ScimIT.sha256(TOKEN));
            params.put("lockSyncedGroups", "true");
            params.put("groupMappings", "engineers = builder");
        })) {
            app.provider()
                    .idTokenClaims(b -> b.subject("lars")
                            .claim("preferred_username", "lars")
                            .claim("groups", List.of()));
            new Browser().open(locked.url("/me"));
            MembershipStore store =
                    ((RolebridgeFilter) locked.contextAttribute(RolebridgeFilter.class.getName())).store();
            long id = store.findUser(app.provider().issuer(), "lars")
                    .orElseThrow()
                    .id();
            HttpResponse<String> refused = new Browser()
                    .send(
                            "POST",
                            locked.url(ADMIN + "/api/users/" + id + "/memberships"),
                            "application/json",
                            "{\"group\":\"builder\"}",
                            "Authorization",
                            "Bearer " + TOKEN);
            JsonNode error = json(refused, 409);
            assertThat(error.get("error").asText()).contains("managed by sync").contains("lockSyncedGroups");

            store.createGroup("guests", null);
            HttpResponse<String> allowed = new Browser()
                    .send(
                            "POST",
                            locked.url(ADMIN + "/api/users/" + id + "/memberships"),
                            "application/json",
                            "{\"group\":\"guests\"}",
                            "Authorization",
                            "Bearer " + TOKEN);
            assertThat(json(allowed, 200).get("memberships").toString()).contains("guests");
        }
    }

    // --- users, audit trail, unmapped groups

    @Test
    void usersAreSearchedAndPagedAndAUserShowsWhenAndWhyEachMembershipCame() throws Exception {
        Browser admin = admin();
        String tag = UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 3; i++) {
            signedIn("paged-" + tag + "-" + i, List.of("engineers"));
        }
        JsonNode page = json(api(admin, "GET", "/users?q=PAGED-" + tag + "&offset=1&limit=1", null), 200);
        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.at("/items/0/username").asText()).isEqualTo("paged-" + tag + "-1");
        json(api(admin, "GET", "/users?limit=0", null), 400);

        JsonNode user =
                json(api(admin, "GET", "/users/" + page.at("/items/0/id").asLong(), null), 200);
        JsonNode detail = user.get("membershipDetails").get(0);
        assertThat(detail.get("group").asText()).isEqualTo("builder");
        assertThat(detail.get("source").asText()).isEqualTo("OIDC");
        assertThat(detail.get("actor").asText()).isEqualTo("login");
        assertThat(detail.get("rules").toString()).contains("engineers");
        assertThat(detail.get("since").asText()).isNotEmpty();
    }

    @Test
    void theAuditTrailNamesTheAdministratorFiltersAndExportsAsCsv() throws Exception {
        String name = "audra-" + UUID.randomUUID().toString().substring(0, 6);
        Browser admin = signedIn(name, List.of("admin"));
        json(
                api(
                        admin,
                        "POST",
                        "/rules",
                        "{\"kind\":\"groupMapping\",\"text\":\"auditors-" + name + " = builder\"}"),
                201);

        JsonNode trail = json(api(admin, "GET", "/audit?actor=admin&limit=5", null), 200);
        JsonNode newest = trail.at("/items/0");
        assertThat(newest.get("actedBy").asText()).isEqualTo(name);
        assertThat(newest.get("rules").toString()).contains("rule added").contains("auditors-" + name);
        assertThat(json(api(admin, "GET", "/audit?actor=scim", null), 200)
                        .get("items")
                        .toString())
                .doesNotContain("auditors-" + name);
        json(api(admin, "GET", "/audit?from=yesterday", null), 400);

        HttpResponse<String> csv = admin.send(
                "GET", app.url(ADMIN + "/api/audit.csv?actor=admin"), null, null, "Sec-Fetch-Site", "same-origin");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body()).startsWith("time,actor,actedBy,").contains(name).contains("auditors-" + name);
    }

    @Test
    void unmappedGroupsListWhatLoginsCarriedThatMappedToNothing() throws Exception {
        Browser admin = admin();
        String group = "never-mapped-" + UUID.randomUUID().toString().substring(0, 6);
        signedIn("uma-1", List.of(group));
        signedIn("uma-2", List.of(group, "engineers"));
        JsonNode unmapped = json(api(admin, "GET", "/unmapped-groups", null), 200);
        assertThat(unmapped.get("days").asInt()).isEqualTo(30);
        JsonNode found = null;
        for (JsonNode g : unmapped.get("groups")) {
            if (g.get("name").asText().equals(group)) {
                found = g;
            }
        }
        assertThat(found).as(unmapped.toString()).isNotNull();
        assertThat(found.get("users").asInt()).isEqualTo(2);
        assertThat(unmapped.get("groups").findValuesAsText("name")).doesNotContain("engineers");
    }

    // --- provisioning

    @Test
    void provisioningIsSwitchedOnTokensAreCreatedOnceAndRevokedAndOffMeansOff() throws Exception {
        Browser admin = admin();
        JsonNode state = json(api(admin, "GET", "/provisioning", null), 200);
        assertThat(state.get("url").asText()).isEqualTo(app.url("/scim/v2"));
        assertThat(state.get("configuredToken").asBoolean()).isFalse();

        JsonNode created = json(api(admin, "POST", "/provisioning/tokens", "{\"name\":\"Entra ID\"}"), 201);
        String token = created.get("token").asText();
        assertThat(token).startsWith("rbscim_").hasSizeGreaterThan(40);
        assertThat(json(api(admin, "GET", "/provisioning", null), 200).toString())
                .doesNotContain(token);

        HttpResponse<String> offByDefault = ScimIT.send(app.app(), "GET", "/Users", null, "Bearer " + token);
        assertThat(offByDefault.statusCode())
                .as("no scimToken configured: off until switched on")
                .isEqualTo(503);

        assertThat(json(api(admin, "PUT", "/provisioning", "{\"enabled\":true}"), 200)
                        .get("enabled")
                        .asBoolean())
                .isTrue();
        assertThat(ScimIT.send(app.app(), "GET", "/Users", null, "Bearer " + token)
                        .statusCode())
                .isEqualTo(200);
        assertThat(ScimIT.send(app.app(), "GET", "/Users", null, "Bearer " + token + "x")
                        .statusCode())
                .isEqualTo(401);

        String id = created.get("id").asText();
        assertThat(api(admin, "DELETE", "/provisioning/tokens/" + id, null).statusCode())
                .isEqualTo(204);
        assertThat(ScimIT.send(app.app(), "GET", "/Users", null, "Bearer " + token)
                        .statusCode())
                .isEqualTo(401);

        String other = json(api(admin, "POST", "/provisioning/tokens", "{\"name\":\"Okta\"}"), 201)
                .get("token")
                .asText();
        json(api(admin, "PUT", "/provisioning", "{\"enabled\":false}"), 200);
        assertThat(ScimIT.send(app.app(), "GET", "/Users", null, "Bearer " + other)
                        .statusCode())
                .isEqualTo(503);
        json(api(admin, "POST", "/provisioning/tokens", "{\"name\":\"\"}"), 400);
    }

    // --- pages

    @Test
    void everyPageRendersForAnAdministratorWithValuesEncoded() throws Exception {
        String name = "pia-" + UUID.randomUUID().toString().substring(0, 6);
        Browser admin = signedIn(name, List.of("admin", "<img src=x onerror=alert(1)>"));
        long id = userId(name);
        for (String path : List.of(
                "/",
                "/rules",
                "/roles",
                "/dry-run",
                "/users",
                "/users/" + id,
                "/audit",
                "/unmapped",
                "/provisioning")) {
            HttpResponse<String> page = admin.get(app.url(ADMIN + path));
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.body()).as(path).doesNotContain("<script").doesNotContain("<img src=x");
        }
        assertThat(admin.get(app.url(ADMIN + "/unmapped")).body()).contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(admin.get(app.url(ADMIN + "/users?q=" + name)).body()).contains(name);
        assertThat(admin.get(app.url(ADMIN + "/nothing")).statusCode()).isEqualTo(404);
        HttpResponse<String> css = admin.get(app.url(ADMIN + "/admin.css"));
        assertThat(css.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    }

    @Test
    void thePagesCarryNoScriptAndTheirFormsNeedTheCsrfToken() throws Exception {
        Browser admin = admin();
        HttpResponse<String> page = admin.get(app.url(ADMIN + "/rules"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(
                        csp -> assertThat(csp).contains("default-src 'none'").doesNotContain("script"));
        assertThat(page.body()).doesNotContain("<script").contains("engineers = builder");

        HttpResponse<String> withoutToken = admin.postForm(
                app.url(ADMIN + "/rules"), Map.of("kind", "hardcodedGroup", "text", "builder"), "Origin", origin());
        assertThat(withoutToken.statusCode()).isEqualTo(403);

        Matcher token = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(token.find()).isTrue();
        HttpResponse<String> saved = admin.postForm(
                app.url(ADMIN + "/rules"),
                Map.of("csrf", token.group(1), "kind", "groupMapping", "text", "designers = builder"),
                "Origin",
                origin());
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(admin.get(app.url(ADMIN + "/rules")).body())
                .contains("designers = builder")
                .contains("Rule added");

        HttpResponse<String> invalid = admin.postForm(
                app.url(ADMIN + "/rules"),
                Map.of("csrf", token.group(1), "kind", "groupMapping", "text", "designers = <b>nowhere</b>"),
                "Origin",
                origin());
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("&lt;b&gt;nowhere&lt;/b&gt;").doesNotContain("<b>nowhere");
    }
}
