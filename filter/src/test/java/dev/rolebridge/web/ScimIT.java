package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.RolebridgeTestApp;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.TestApp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SCIM 2.0 endpoint over HTTP, driven the way Microsoft Entra ID and Okta drive it (create, find by
 * {@code userName}, deactivate by PATCH, replace, delete), its bearer token, its errors, and the one user a
 * SCIM user and the person's logins share.
 */
class ScimIT {

    static final String TOKEN = "scim-token-for-the-tests-0123456789";
    private static final String SCIM = "/scim/v2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final RolebridgeTestApp<ScriptedProvider> app = RolebridgeTestApp.with(ScriptedProvider::new)
            .param("scimToken", "sha256:" + sha256(TOKEN))
            .param("roleRefreshSeconds", "1")
            .param("groupMappings", "Entra Admins = admin");

    @BeforeEach
    void reset() {
        app.provider().reset();
    }

    // --- Entra ID and Okta flows

    @Test
    void entraCreatesFindsDeactivatesReplacesAndDeletesAUser() throws Exception {
        HttpResponse<String> created = send("POST", "/Users", user("Alice.Entra@Example.com", "entra-alice-1"));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/scim+json"));
        JsonNode body = JSON.readTree(created.body());
        String id = body.get("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValue(app.url(SCIM + "/Users/" + id));
        assertThat(body.at("/meta/resourceType").asText()).isEqualTo("User");
        assertThat(body.at("/meta/created").asText()).isNotEmpty();
        assertThat(body.at("/meta/location").asText()).isEqualTo(app.url(SCIM + "/Users/" + id));
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.has("password")).isFalse();

        // Entra looks the user up by userName, in whatever case it has it
        JsonNode found = json(send("GET", "/Users?filter=" + encode("userName eq \"alice.entra@example.com\""), null));
        assertThat(found.get("totalResults").asInt()).isEqualTo(1);
        assertThat(found.at("/Resources/0/id").asText()).isEqualTo(id);

        HttpResponse<String> deactivated = send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"Replace","path":"active","value":"False"}]}""");
        assertThat(deactivated.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(deactivated.body()).get("active").asBoolean()).isFalse();
        assertThat(json(send("GET", "/Users/" + id, null)).get("active").asBoolean())
                .isFalse();

        HttpResponse<String> replaced = send(
                "PUT",
                "/Users/" + id,
                user("Alice.Entra@Example.com", "entra-alice-1").replace("Alice", "Alicia"));
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replaced.body()).at("/name/givenName").asText())
                .isEqualTo("Alicia");
        assertThat(JSON.readTree(replaced.body()).get("active").asBoolean()).isTrue();

        assertThat(send("DELETE", "/Users/" + id, null).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = send("GET", "/Users/" + id, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertScimError(gone, 404, null);
    }

    @Test
    void oktaLooksUpCreatesAndDeactivatesWithAPathlessReplace() throws Exception {
        String query = "/Users?filter=" + encode("userName eq \"bob.okta@example.com\"") + "&startIndex=1&count=100";
        JsonNode none = json(send("GET", query, null));
        assertThat(none.get("totalResults").asInt()).isZero();

        String id = json(send("POST", "/Users", user("bob.okta@example.com", "okta-bob-1")))
                .get("id")
                .asText();
        assertThat(json(send("GET", query, null)).get("totalResults").asInt()).isEqualTo(1);

        HttpResponse<String> patched = send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"active":false}}]}""");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).get("active").asBoolean()).isFalse();
    }

    @Test
    void listFiltersByExternalIdEmailAndCombinationsAndPagesFromOne() throws Exception {
        String prefix = "page-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 1; i <= 3; i++) {
            assertThat(send("POST", "/Users", user(prefix + "-" + i + "@example.com", prefix + "-ext-" + i))
                            .statusCode())
                    .isEqualTo(201);
        }
        assertThat(json(send("GET", "/Users?filter=" + encode("externalId eq \"" + prefix + "-ext-2\""), null))
                        .at("/Resources/0/userName")
                        .asText())
                .isEqualTo(prefix + "-2@example.com");
        assertThat(json(send(
                                "GET",
                                "/Users?filter=" + encode("emails.value eq \"" + prefix + "-3@example.com\""),
                                null))
                        .get("totalResults")
                        .asInt())
                .isEqualTo(1);
        assertThat(json(send(
                                "GET",
                                "/Users?filter="
                                        + encode("userName eq \"" + prefix + "-1@example.com\" and externalId eq \""
                                                + prefix + "-ext-2\""),
                                null))
                        .get("totalResults")
                        .asInt())
                .isZero();

        JsonNode page = json(send(
                "GET", "/Users?filter=" + encode("userName sw \"" + prefix + "\"") + "&startIndex=2&count=1", null));
        assertThat(page.get("totalResults").asInt()).isEqualTo(3);
        assertThat(page.get("startIndex").asInt()).isEqualTo(2);
        assertThat(page.get("itemsPerPage").asInt()).isEqualTo(1);
        assertThat(page.get("Resources")).hasSize(1);
    }

    @Test
    void discoveryEndpointsDescribeTheServiceProvider() throws Exception {
        JsonNode config = json(send("GET", "/ServiceProviderConfig", null));
        assertThat(config.at("/patch/supported").asBoolean()).isTrue();
        assertThat(config.at("/filter/supported").asBoolean()).isTrue();
        assertThat(config.at("/bulk/supported").asBoolean()).isFalse();
        assertThat(send("GET", "/ResourceTypes", null).body()).contains("\"User\"");
        assertThat(send("GET", "/Schemas", null).body()).contains("urn:ietf:params:scim:schemas:core:2.0:User");
    }

    // --- the bearer token

    @Test
    void aRequestWithoutTheTokenGets401WithAScimError() throws Exception {
        HttpResponse<String> none = HTTP.send(
                HttpRequest.newBuilder(URI.create(app.url(SCIM + "/Users"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertScimError(none, 401, null);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(none.headers().firstValue("Location"))
                .as("no redirect to the provider")
                .isEmpty();

        HttpResponse<String> wrong = send("GET", "/Users", null, "Bearer " + TOKEN + "x");
        assertScimError(wrong, 401, null);
        HttpResponse<String> digest = send("GET", "/Users", null, "Bearer " + sha256(TOKEN));
        assertScimError(digest, 401, null);
        assertThat(send("GET", "/Users", null, "bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void aCrossSiteRequestFromAScimClientIsNotRefusedAsABrowsersWouldBe() throws Exception {
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(app.url(SCIM + "/Users")))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/scim+json")
                        .header("Origin", "https://elsewhere.example")
                        .header("Sec-Fetch-Site", "cross-site")
                        .POST(HttpRequest.BodyPublishers.ofString(user("cross.site@example.com", "cross-1")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
    }

    @Test
    void aTokenGivenAsAReferenceIsResolvedAndExternalIdMatchesTheSubject() throws Exception {
        System.setProperty("rolebridge.test.scimToken", TOKEN + "-by-reference");
        try (ScriptedProvider provider = new ScriptedProvider();
                TestApp other = TestApp.signingInAt(provider, params -> {
                    params.put("scimToken", "${sys:rolebridge.test.scimToken}");
                    params.put("scimUserMatch", "externalId");
                })) {
            String bearer = "Bearer " + TOKEN + "-by-reference";
            assertThat(send(other, "GET", "/Users", null, "Bearer " + TOKEN).statusCode())
                    .isEqualTo(401);
            String id = JSON.readTree(send(other, "POST", "/Users", user("erin.scim@example.com", "sub-erin"), bearer)
                            .body())
                    .get("id")
                    .asText();
            provider.idTokenClaims(b -> b.subject("sub-erin").claim("preferred_username", "erin"));
            assertThat(new Browser().open(other.url("/me")).body()).contains("remoteUser=erin");

            deactivate(other, id, bearer);
            assertLoginRefused(new Browser().open(other.url("/me")));
        } finally {
            System.clearProperty("rolebridge.test.scimToken");
        }
    }

    // --- errors

    @Test
    void aFilterTheGrammarOrTheSchemaRefusesIsInvalidFilter() throws Exception {
        assertScimError(send("GET", "/Users?filter=" + encode("userName eq"), null), 400, "invalidFilter");
        assertScimError(send("GET", "/Users?filter=" + encode("shoeSize eq \"42\""), null), 400, "invalidFilter");
    }

    @Test
    void aTakenUserNameInAnyCaseIs409Uniqueness() throws Exception {
        assertThat(send("POST", "/Users", user("Unique.User@example.com", "u-1"))
                        .statusCode())
                .isEqualTo(201);
        assertScimError(send("POST", "/Users", user("unique.user@EXAMPLE.com", "u-2")), 409, "uniqueness");

        String other = json(send("POST", "/Users", user("other.user@example.com", "u-3")))
                .get("id")
                .asText();
        assertScimError(send("PUT", "/Users/" + other, user("UNIQUE.USER@example.com", "u-3")), 409, "uniqueness");
    }

    @Test
    void aBodyThatIsNoJsonIsInvalidSyntax() throws Exception {
        assertScimError(send("POST", "/Users", "{\"userName\": "), 400, "invalidSyntax");
    }

    @Test
    void pathsAndMethodsTheEndpointDoesNotServeAreScimErrorsNeverA500() throws Exception {
        for (String path : List.of("", "/", "/Bulk", "/Nothing/here", "/Groups/no-such-id")) {
            HttpResponse<String> answer = send("GET", path, null);
            assertThat(answer.statusCode()).as(path + ": " + answer.body()).isBetween(400, 499);
            assertScimError(answer, answer.statusCode(), null);
        }
        assertThat(send("HEAD", "/Users", null).statusCode()).isEqualTo(405);
        assertScimError(send("OPTIONS", "/Users", null), 405, null);
        assertScimError(send("GET", "/Users/no-such-id", null), 404, null);
        assertScimError(send("DELETE", "/Users/no-such-id", null), 404, null);
    }

    @Test
    void aBodyOverOneMegabyteIs413NeverA500() throws Exception {
        String big = user("big@example.com", "big")
                .replace("\"displayName\":\"", "\"displayName\":\"" + "x".repeat(1_100_000));
        HttpResponse<String> answer = send("POST", "/Users", big);
        assertScimError(answer, 413, null);
    }

    // --- a SCIM user and the person's logins are one user

    @Test
    void aLoginAfterScimCreatedTheUserSignsInAsThatUser() throws Exception {
        String id = json(send("POST", "/Users", user("Carol.Login", "carol-ext")))
                .get("id")
                .asText();
        app.provider().nextSubject("carol.login");
        assertThat(new Browser().open(app.url("/me")).body()).contains("remoteUser=carol.login");

        deactivate(app.app(), id, "Bearer " + TOKEN);
        assertLoginRefused(new Browser().open(app.url("/me")));

        HttpResponse<String> active = send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"active","value":"True"}]}""");
        assertThat(active.statusCode()).isEqualTo(200);
        assertThat(new Browser().open(app.url("/me")).body()).contains("remoteUser=carol.login");
    }

    @Test
    void aScimUserForAPersonWhoSignedInBeforeIsThatPerson() throws Exception {
        app.provider().nextSubject("dave.before");
        assertThat(new Browser().open(app.url("/me")).body()).contains("remoteUser=dave.before");

        String id = json(send("POST", "/Users", user("DAVE.BEFORE", "dave-ext")))
                .get("id")
                .asText();
        deactivate(app.app(), id, "Bearer " + TOKEN);
        assertLoginRefused(new Browser().open(app.url("/me")));

        assertThat(send("DELETE", "/Users/" + id, null).statusCode()).isEqualTo(204);
        assertLoginRefused(new Browser().open(app.url("/me")));
        assertThat(send("POST", "/Users", user("dave.before", "dave-ext")).statusCode())
                .isEqualTo(201);
        assertThat(new Browser().open(app.url("/me")).body()).contains("remoteUser=dave.before");
    }

    @Test
    void aScimDeactivationEndsTheUsersLiveSessionWithinRoleRefreshSeconds() throws Exception {
        app.provider().nextSubject("erin.live");
        Browser browser = new Browser();
        assertThat(browser.open(app.url("/me")).body()).contains("remoteUser=erin.live");
        String id = json(send("POST", "/Users", user("erin.live", "erin-ext")))
                .get("id")
                .asText();
        assertThat(browser.open(app.url("/me")).body()).contains("remoteUser=erin.live");

        deactivate(app.app(), id, "Bearer " + TOKEN);

        await("the live session of the deactivated user ends")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertLoginRefused(browser.open(app.url("/me"))));
    }

    @Test
    void onTheNodeThatReceivedItAScimDeactivationEndsTheSessionAtItsVeryNextRequest() throws Exception {
        try (TestApp node = TestApp.signingInAt(app.provider(), params -> {
            params.put("scimToken", "sha256:" + sha256(TOKEN));
            params.put("roleRefreshSeconds", "3600"); // no refresh would come in time
        })) {
            app.provider().nextSubject("frank.now");
            Browser browser = new Browser();
            assertThat(browser.open(node.url("/me")).body()).contains("remoteUser=frank.now");
            HttpResponse<String> created =
                    send(node, "POST", "/Users", user("frank.now", "frank-ext"), "Bearer " + TOKEN);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            deactivate(node, JSON.readTree(created.body()).get("id").asText(), "Bearer " + TOKEN);

            assertLoginRefused(browser.open(node.url("/me")));
        }
    }

    // --- groups: Entra ID and Okta flows

    @Test
    void entraPushesAGroupAndItsMembersReachTheLiveSession() throws Exception {
        app.provider().nextSubject("hank.entra");
        Browser browser = new Browser();
        assertThat(browser.open(app.url("/me?role=admin")).body()).contains("role.admin=false");
        String hank = createUser("hank.entra");
        String ivy = createUser("ivy.entra");

        HttpResponse<String> created = send("POST", "/Groups", group("Entra Admins", hank));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String id = body.get("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValue(app.url(SCIM + "/Groups/" + id));
        assertThat(body.at("/meta/resourceType").asText()).isEqualTo("Group");
        assertThat(body.at("/members/0/value").asText()).isEqualTo(hank);
        assertThat(body.at("/members/0/display").asText()).isEqualTo("hank.entra");
        await("the pushed group gives the live session its role")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(browser.get(app.url("/me?role=admin")).body())
                                .contains("role.admin=true"));

        // Entra finds the group by displayName, in whatever case, and adds a member
        JsonNode found = json(send(
                "GET",
                "/Groups?filter=" + encode("displayName eq \"entra admins\"") + "&excludedAttributes=members",
                null));
        assertThat(found.get("totalResults").asInt()).isEqualTo(1);
        assertThat(found.at("/Resources/0/id").asText()).isEqualTo(id);
        assertThat(found.at("/Resources/0").has("members")).isFalse();
        patch("/Groups/" + id, """
                {"op":"Add","path":"members","value":[{"value":"%s"}]}""".formatted(ivy));
        assertThat(memberIds(id)).containsExactlyInAnyOrder(hank, ivy);

        // Entra's removal: path "members" with the members to remove as the value
        patch("/Groups/" + id, """
                {"op":"Remove","path":"members","value":[{"value":"%s"}]}""".formatted(hank));
        assertThat(memberIds(id)).containsExactly(ivy);
        await("leaving the pushed group takes the role from the live session")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(browser.get(app.url("/me?role=admin")).body())
                                .contains("remoteUser=hank.entra")
                                .contains("role.admin=false"));

        patch("/Groups/" + id, """
                {"op":"Replace","path":"displayName","value":"Entra Admins (renamed)"}""");
        assertThat(json(send("GET", "/Groups/" + id, null)).get("displayName").asText())
                .isEqualTo("Entra Admins (renamed)");

        assertThat(send("DELETE", "/Groups/" + id, null).statusCode()).isEqualTo(204);
        assertScimError(send("GET", "/Groups/" + id, null), 404, null);
    }

    @Test
    void oktaLooksUpCreatesPatchesAndReplacesAGroup() throws Exception {
        String jack = createUser("jack.okta");
        String kim = createUser("kim.okta");
        String query = "/Groups?filter=" + encode("displayName eq \"Okta Builders\"") + "&startIndex=1&count=100";
        assertThat(json(send("GET", query, null)).get("totalResults").asInt()).isZero();

        String id =
                json(send("POST", "/Groups", group("Okta Builders"))).get("id").asText();
        assertThat(json(send("GET", query, null)).get("totalResults").asInt()).isEqualTo(1);

        patch("/Groups/" + id, """
                {"op":"add","path":"members","value":[{"value":"%s","display":"jack.okta"},{"value":"%s"}]}""".formatted(jack, kim));
        assertThat(memberIds(id)).containsExactlyInAnyOrder(jack, kim);
        patch("/Groups/" + id, """
                {"op":"remove","path":"members[value eq \\"%s\\"]"}""".formatted(jack));
        assertThat(memberIds(id)).containsExactly(kim);

        HttpResponse<String> replaced = send("PUT", "/Groups/" + id, group("Okta Builders", jack));
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(memberIds(id)).containsExactly(jack);
        assertThat(json(send("GET", "/Groups?filter=" + encode("externalId eq \"ext-Okta Builders\""), null))
                        .get("totalResults")
                        .asInt())
                .isEqualTo(1);

        // Okta renames with a path-less replace naming the id, and may replace the members whole
        patch("/Groups/" + id, """
                {"op":"replace","value":{"id":"%s","displayName":"Okta Builders Renamed"}}""".formatted(id));
        assertThat(json(send("GET", "/Groups/" + id, null)).get("displayName").asText())
                .isEqualTo("Okta Builders Renamed");
        patch("/Groups/" + id, """
                {"op":"replace","path":"members","value":[{"value":"%s"}]}""".formatted(kim));
        assertThat(memberIds(id)).containsExactly(kim);
        patch("/Groups/" + id, """
                {"op":"add","path":"members","value":[{"value":"%s"}]}""".formatted(jack));

        // a deleted user leaves the groups
        assertThat(send("DELETE", "/Users/" + jack, null).statusCode()).isEqualTo(204);
        assertThat(memberIds(id)).containsExactly(kim);
    }

    @Test
    void keycloaksScimExtensionCreatesReplacesWholeGroupsAndImports() throws Exception {
        // the extension sends the Keycloak user id as externalId, roles, and relative references
        HttpResponse<String> created = send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"3f1c6a2e-kc-user",
                 "userName":"nora.keycloak","displayName":"Nora Keycloak","active":true,
                 "emails":[{"primary":true,"value":"nora@example.com"}],"roles":[]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String nora = JSON.readTree(created.body()).get("id").asText();
        HttpResponse<String> group = send("POST", "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"9d2b-kc-group",
                 "displayName":"Keycloak Engineers"}""");
        assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
        String id = JSON.readTree(group.body()).get("id").asText();

        // a membership change in Keycloak is a PUT of the whole group
        HttpResponse<String> replaced = send("PUT", "/Groups/" + id, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"%s","externalId":"9d2b-kc-group",
                 "displayName":"Keycloak Engineers","members":[{"value":"%s","$ref":"Users/%s"}],
                 "meta":{"location":"Groups/%s"}}""".formatted(id, nora, nora, id));
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(memberIds(id)).containsExactly(nora);

        // its import lists everything, unfiltered
        assertThat(json(send("GET", "/Groups", null)).get("Resources").findValuesAsText("id"))
                .contains(id);
        assertThat(json(send("GET", "/Users", null)).get("Resources").findValuesAsText("id"))
                .contains(nora);
        assertThat(send("DELETE", "/Groups/" + id, null).statusCode()).isEqualTo(204);
    }

    @Test
    void groupErrorsAreScimErrors() throws Exception {
        String user = createUser("lena.errors");
        assertThat(send("POST", "/Groups", group("Taken Name")).statusCode()).isEqualTo(201);
        assertScimError(send("POST", "/Groups", group("TAKEN name")), 409, "uniqueness");
        assertScimError(send("POST", "/Groups", group("Unknown Member", "no-such-user")), 400, "invalidValue");
        assertScimError(send("POST", "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Nested",
                 "members":[{"value":"%s","type":"Group"}]}""".formatted(user)), 400, "invalidValue");
        assertScimError(
                send("POST", "/Groups", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"]}"), 400, null);
        assertScimError(send("GET", "/Groups?filter=" + encode("shoeSize eq \"42\""), null), 400, "invalidFilter");
        String other =
                json(send("POST", "/Groups", group("Other Name"))).get("id").asText();
        assertScimError(send("PUT", "/Groups/" + other, group("taken NAME")), 409, "uniqueness");
        assertScimError(send("PATCH", "/Groups/no-such-id", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"add","path":"members","value":[{"value":"%s"}]}]}""".formatted(user)), 404, null);
        assertScimError(send("DELETE", "/Groups/no-such-id", null), 404, null);
    }

    // --- provenance: a login and SCIM each change only their own memberships

    @Test
    void aLoginKeepsScimMembershipsAndAnEmptyGroupsClaimRemovesOnlyTheLogins() throws Exception {
        try (TestApp node = TestApp.signingInAt(app.provider(), params -> {
            params.put("scimToken", "sha256:" + sha256(TOKEN));
            params.put("roleRefreshSeconds", "1");
            params.put("roleHierarchy", "false");
            params.put("groupMappings", "Entra Admins = admin");
        })) {
            String bearer = "Bearer " + TOKEN;
            String mia = JSON.readTree(send(node, "POST", "/Users", user("mia.provenance", "mia-ext"), bearer)
                            .body())
                    .get("id")
                    .asText();
            HttpResponse<String> pushed = send(node, "POST", "/Groups", group("Entra Admins", mia), bearer);
            assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(201);

            app.provider()
                    .idTokenClaims(b -> b.subject("mia.provenance")
                            .claim("preferred_username", "mia.provenance")
                            .claim("groups", List.of("builder")));
            assertThat(new Browser().open(node.url("/me")).body()).contains("principalRoles=[admin, builder]");

            app.provider()
                    .idTokenClaims(b -> b.subject("mia.provenance")
                            .claim("preferred_username", "mia.provenance")
                            .claim("groups", List.of()));
            Browser browser = new Browser();
            assertThat(browser.open(node.url("/me")).body()).contains("principalRoles=[admin]");

            // and a SCIM change takes only what SCIM gave
            String groupId = JSON.readTree(pushed.body()).get("id").asText();
            HttpResponse<String> removed =
                    send(node, "PATCH", "/Groups/" + groupId, patchOp("""
                    {"op":"remove","path":"members[value eq \\"%s\\"]"}""".formatted(mia)), bearer);
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
            await("the SCIM membership leaves the live session")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(browser.get(node.url("/me")).body())
                            .contains("remoteUser=mia.provenance")
                            .doesNotContain("admin"));
        }
    }

    // --- helpers

    private static void deactivate(TestApp target, String id, String bearer) throws Exception {
        HttpResponse<String> patched = send(target, "PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"active","value":false}]}""", bearer);
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    }

    private static void assertLoginRefused(HttpResponse<String> page) {
        assertThat(page.statusCode()).isBetween(400, 599);
        assertThat(page.body()).doesNotContain("remoteUser=");
    }

    private static void assertScimError(HttpResponse<String> answer, int status, String scimType) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(answer.body());
        assertThat(error.get("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(error.get("status").asText()).isEqualTo(String.valueOf(status));
        if (scimType != null) {
            assertThat(error.path("scimType").asText()).isEqualTo(scimType);
        }
        assertThat(answer.body())
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain(".java:");
    }

    static String user(String userName, String externalId) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
                 "userName":"%s","externalId":"%s","active":true,"displayName":"Alice Example",
                 "name":{"givenName":"Alice","familyName":"Example"},
                 "password":"never-stored-1",
                 "emails":[{"primary":true,"type":"work","value":"%s"}]}""".formatted(userName, externalId, userName.contains("@") ? userName : userName + "@example.com");
    }

    private static String createUser(String userName) throws Exception {
        return json(send("POST", "/Users", user(userName, userName + "-ext")))
                .get("id")
                .asText();
    }

    static String group(String displayName, String... memberIds) {
        StringBuilder members = new StringBuilder();
        for (String id : memberIds) {
            members.append(members.isEmpty() ? "" : ",")
                    .append("{\"value\":\"")
                    .append(id)
                    .append("\"}");
        }
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
                 "displayName":"%s","externalId":"ext-%s","members":[%s]}""".formatted(displayName, displayName, members);
    }

    static String patchOp(String operation) {
        return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[" + operation + "]}";
    }

    private static void patch(String path, String operation) throws Exception {
        HttpResponse<String> patched = send("PATCH", path, patchOp(operation));
        assertThat(patched.statusCode()).as(patched.body()).isBetween(200, 204);
    }

    private static List<String> memberIds(String groupId) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        json(send("GET", "/Groups/" + groupId, null))
                .path("members")
                .forEach(m -> ids.add(m.get("value").asText()));
        return ids;
    }

    private static JsonNode json(HttpResponse<String> answer) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
        return JSON.readTree(answer.body());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, "Bearer " + TOKEN);
    }

    private static HttpResponse<String> send(String method, String path, String body, String authorization)
            throws Exception {
        return send(app.app(), method, path, body, authorization);
    }

    static HttpResponse<String> send(TestApp target, String method, String path, String body, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url(SCIM + path)))
                .header("Authorization", authorization)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/scim+json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
