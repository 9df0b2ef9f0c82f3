package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.ScriptedProvider.Signing;
import dev.rolebridge.testing.TestApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of one application on one database: a back-channel logout received by one node ends the user's
 * session on the other, and its token cannot be replayed at either.
 */
class SharedLogoutIT {

    @Test
    void logoutReceivedByOneNodeEndsTheSessionOnTheOtherAndCannotBeReplayedThere() throws Exception {
        Path dir = Files.createTempDirectory("rolebridge-shared-db");
        String jdbcUrl = "jdbc:h2:file:" + dir.resolve("shared") + ";DB_CLOSE_DELAY=-1";
        try (ScriptedProvider provider = new ScriptedProvider()) {
            int portA = TestApp.freePort();
            int portB = TestApp.freePort();
            Map<String, String> a = provider.filterParameters(portA);
            Map<String, String> b = provider.filterParameters(portB);
            for (Map<String, String> node : java.util.List.of(a, b)) {
                node.put("jdbcUrl", jdbcUrl);
                node.put("backChannelLogoutPollSeconds", "1");
            }
            try (TestApp nodeA = TestApp.withFilter(portA, a); TestApp nodeB = TestApp.withFilter(portB, b)) {
                assertThat(nodeA.started()).isTrue();
                assertThat(nodeB.started()).isTrue();
                Browser onB = new Browser();
                provider.idTokenClaims(c -> c.subject("fay").claim("preferred_username", "fay"));
                assertThat(onB.open(nodeB.url("/me")).body()).contains("remoteUser=fay");
                String token = provider.logoutToken(Map.of("sub", "fay"), Signing.RS256);

                HttpResponse<String> atA = new Browser().postForm(nodeA.url("/backchannel-logout"),
                        Map.of("logout_token", token));
                assertThat(atA.statusCode()).isEqualTo(200);

                int status = await("the session on node B ended").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> onB.get(nodeB.url("/me")).statusCode(), code -> code != 200);
                assertThat(status).as("the session on node B ended").isEqualTo(302);

                HttpResponse<String> replayAtB = new Browser().postForm(nodeB.url("/backchannel-logout"),
                        Map.of("logout_token", token));
                assertThat(replayAtB.statusCode()).as("replay at the other node").isEqualTo(400);
            }
        }
    }

    @Test
    void aLogoutWhoseEventCouldNotBeStoredIsAcceptedWhenTheProviderRetriesIt() throws Exception {
        Path dir = Files.createTempDirectory("rolebridge-shared-db");
        String jdbcUrl = "jdbc:h2:file:" + dir.resolve("shared") + ";DB_CLOSE_DELAY=-1";
        try (ScriptedProvider provider = new ScriptedProvider()) {
            int port = TestApp.freePort();
            Map<String, String> params = provider.filterParameters(port);
            params.put("jdbcUrl", jdbcUrl);
            try (TestApp node = TestApp.withFilter(port, params);
                    java.sql.Connection db = java.sql.DriverManager.getConnection(jdbcUrl)) {
                Browser browser = new Browser();
                provider.idTokenClaims(c -> c.subject("gil").claim("preferred_username", "gil"));
                assertThat(browser.open(node.url("/me")).body()).contains("remoteUser=gil");
                String token = provider.logoutToken(Map.of("sub", "gil"), Signing.RS256);

                db.createStatement().execute("ALTER TABLE RB_LOGOUT_EVENT RENAME TO RB_LOGOUT_EVENT_AWAY");
                HttpResponse<String> failed = new Browser().postForm(node.url("/backchannel-logout"),
                        Map.of("logout_token", token));
                db.createStatement().execute("ALTER TABLE RB_LOGOUT_EVENT_AWAY RENAME TO RB_LOGOUT_EVENT");
                HttpResponse<String> retried = new Browser().postForm(node.url("/backchannel-logout"),
                        Map.of("logout_token", token));
                HttpResponse<String> replayed = new Browser().postForm(node.url("/backchannel-logout"),
                        Map.of("logout_token", token));

                assertThat(failed.statusCode()).as("the write failed: the provider should retry").isEqualTo(503);
                assertThat(retried.statusCode()).as("the retry is not a replay").isEqualTo(200);
                assertThat(replayed.statusCode()).as("once stored, the jti is spent").isEqualTo(400);
            }
        }
    }

    @Test
    void sessionsTheContainerRestoresAfterARestartAreStillEndedByALogoutNamingTheirSubject() throws Exception {
        try (ScriptedProvider provider = new ScriptedProvider()) {
            int port = TestApp.freePort();
            TestApp beforeRestart = TestApp.withFilter(port, provider.filterParameters(port));
            Browser seenAfterRestart = new Browser();
            provider.idTokenClaims(c -> c.subject("hal").claim("preferred_username", "hal"));
            assertThat(seenAfterRestart.open(beforeRestart.url("/me")).body()).contains("remoteUser=hal");
            Browser notSeenYet = new Browser();
            provider.idTokenClaims(c -> c.subject("ida").claim("preferred_username", "ida"));
            assertThat(notSeenYet.open(beforeRestart.url("/me")).body()).contains("remoteUser=ida");

            try (TestApp node = beforeRestart.restarted()) {
                assertThat(seenAfterRestart.get(node.url("/me")).body()).as("the session was restored")
                        .contains("remoteUser=hal");
                for (String subject : java.util.List.of("hal", "ida")) {
                    assertThat(new Browser().postForm(node.url("/backchannel-logout"), Map.of("logout_token",
                            provider.logoutToken(Map.of("sub", subject), Signing.RS256))).statusCode()).isEqualTo(200);
                }

                assertThat(seenAfterRestart.get(node.url("/me")).statusCode()).as("restored, then logged out")
                        .isEqualTo(302);
                assertThat(notSeenYet.get(node.url("/me")).statusCode())
                        .as("restored, logged out before its next request").isEqualTo(302);
            }
        }
    }
}
