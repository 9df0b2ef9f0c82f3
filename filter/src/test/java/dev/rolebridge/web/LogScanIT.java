package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs sign-ins, a refused sign-in and a sign-out with DEBUG logging on for pac4j, Nimbus and Rolebridge (this
 * class runs in its own JVM with slf4j-simple at DEBUG writing to a file; see the filter's pom), then scans
 * everything logged for the codes, tokens, client secret, claim values and SCIM bearer token involved.
 */
class LogScanIT {

    private static final String CANARY = "claim-canary-7f3a9c";
    private static final String SCIM_TOKEN = "scim-bearer-canary-5d1e88";
    private static final String FORGED_NAME = "eve\r\n[main] INFO dev.rolebridge.Forged - forged line";

    @Test
    void noTokenSecretCodeOrClaimValueReachesTheLogsAtDebug() throws Exception {
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/debug-log-scan.log"));
        assertThat(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"))
                .as("DEBUG is on")
                .isEqualTo("debug");
        List<String> secrets = new ArrayList<>();
        try (ScriptedProvider provider = new ScriptedProvider()) {
            // group names are logged by design (one line per login names what changed); other claims never are
            provider.idTokenClaims(b -> b.claim("canary", CANARY).claim("groups", List.of("engineers")));
            int port = TestApp.freePort();
            Map<String, String> params = provider.filterParameters(port);
            params.put("scimToken", "sha256:" + ScimIT.sha256(SCIM_TOKEN));
            try (TestApp app = TestApp.withFilter(port, params)) {
                Browser browser = new Browser();
                assertThat(browser.open(app.url("/me")).body()).contains("remoteUser=scripted-user");
                browser.signOut(app.url("/logout"));
                // a user name that tries to forge a log line is logged, escaped, on its one line
                provider.idTokenClaims(b -> b.claim("canary", CANARY).claim("preferred_username", FORGED_NAME));
                assertThat(new Browser().open(app.url("/me")).body()).contains("remoteUser=" + FORGED_NAME);
                provider.idTokenClaims(b -> b.claim("canary", CANARY).claim("nonce", "wrong"));
                assertThat(new Browser().open(app.url("/me")).statusCode()).isEqualTo(401);
                // a SCIM client's bearer token, accepted and refused
                for (String token : List.of(SCIM_TOKEN, SCIM_TOKEN + "-wrong")) {
                    java.net.http.HttpResponse<String> scim = java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url("/scim/v2/Users")))
                                            .header("Authorization", "Bearer " + token)
                                            .header("Content-Type", "application/scim+json")
                                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                                    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                                                            + "\"userName\":\"scim-logged\"}"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertThat(scim.statusCode()).isEqualTo(token.equals(SCIM_TOKEN) ? 201 : 401);
                }
            }
            secrets.addAll(provider.issuedSecrets());
        }
        secrets.add(ScriptedProvider.CLIENT_SECRET);
        secrets.add(CANARY);
        secrets.add(SCIM_TOKEN);

        String logged = Files.readString(log);
        assertThat(logged.lines())
                .as("no log line was forged through a claim value")
                .noneMatch(line -> line.startsWith("[main] INFO dev.rolebridge.Forged"));
        assertThat(logged)
                .as("the user name is logged in the sign-in line, escaped")
                .contains("signed in eve\\r\\n[main] INFO dev.rolebridge.Forged - forged line (subject scripted-user)");
        assertThat(logged).as("pac4j logged at DEBUG").contains("=== CALLBACK ===");
        assertThat(secrets).hasSizeGreaterThan(6);
        for (String secret : secrets) {
            assertThat(logged)
                    .as("the log must not contain a code, token, secret or claim value")
                    .doesNotContain(secret);
            if (secret.chars().filter(c -> c == '.').count() == 2) { // a JWT: no part of it either
                for (String part : secret.split("\\.", 0)) {
                    if (part.length() > 16) {
                        assertThat(logged).doesNotContain(part);
                    }
                }
            }
        }
    }
}
