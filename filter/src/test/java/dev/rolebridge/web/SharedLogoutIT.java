package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.ScriptedProvider.Signing;
import dev.rolebridge.testing.TestApp;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of one application on one database: a back-channel logout received by one node ends the user's
 * session on the other, and its token cannot be replayed at either.
 */
class SharedLogoutIT {

    /** A new H2 file database that every node and connection of a test opens by this URL. */
    private static String sharedDatabase() throws IOException {
        return "jdbc:h2:file:"
                + Files.createTempDirectory("rolebridge-shared-db").resolve("shared") + ";DB_CLOSE_DELAY=-1";
    }

    /** Signs {@code browser} in to {@code node} as {@code subject}. */
    private static void signIn(ScriptedProvider provider, Browser browser, TestApp node, String subject) {
        provider.nextSubject(subject);
        assertThat(browser.open(node.url("/me")).body()).contains("remoteUser=" + subject);
    }

    private static String logoutTokenFor(ScriptedProvider provider, String subject) {
        return provider.logoutToken(Map.of("sub", subject), Signing.RS256);
    }

    private static int logout(ScriptedProvider provider, TestApp node, String token) {
        return provider.sendLogout(node.url("/backchannel-logout"), token).statusCode();
    }

    @Test
    void logoutReceivedByOneNodeEndsTheSessionOnTheOtherAndCannotBeReplayedThere() throws Exception {
        String jdbcUrl = sharedDatabase();
        try (ScriptedProvider provider = new ScriptedProvider();
                TestApp nodeA = TestApp.signingInAt(provider, params -> onSharedDatabase(params, jdbcUrl));
                TestApp nodeB = TestApp.signingInAt(provider, params -> onSharedDatabase(params, jdbcUrl))) {
            assertThat(nodeA.started()).isTrue();
            assertThat(nodeB.started()).isTrue();
            Browser onB = new Browser();
            signIn(provider, onB, nodeB, "fay");
            String token = logoutTokenFor(provider, "fay");

            assertThat(logout(provider, nodeA, token)).isEqualTo(200);

            int status = await("the session on node B ended")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> onB.get(nodeB.url("/me")).statusCode(), code -> code != 200);
            assertThat(status).as("the session on node B ended").isEqualTo(302);
            assertThat(logout(provider, nodeB, token))
                    .as("replay at the other node")
                    .isEqualTo(400);
        }
    }

    private static void onSharedDatabase(Map<String, String> params, String jdbcUrl) {
        params.put("jdbcUrl", jdbcUrl);
        params.put("backChannelLogoutPollSeconds", "1");
    }

    @Test
    void aLogoutWhoseEventCouldNotBeStoredIsAcceptedWhenTheProviderRetriesIt() throws Exception {
        String jdbcUrl = sharedDatabase();
        try (ScriptedProvider provider = new ScriptedProvider();
                TestApp node = TestApp.signingInAt(provider, params -> params.put("jdbcUrl", jdbcUrl));
                Connection db = DriverManager.getConnection(jdbcUrl)) {
            signIn(provider, new Browser(), node, "gil");
            String token = logoutTokenFor(provider, "gil");

            db.createStatement().execute("ALTER TABLE RB_LOGOUT_EVENT RENAME TO RB_LOGOUT_EVENT_AWAY");
            int failed = logout(provider, node, token);
            db.createStatement().execute("ALTER TABLE RB_LOGOUT_EVENT_AWAY RENAME TO RB_LOGOUT_EVENT");
            int retried = logout(provider, node, token);
            int replayed = logout(provider, node, token);

            assertThat(failed).as("the write failed: the provider should retry").isEqualTo(503);
            assertThat(retried).as("the retry is not a replay").isEqualTo(200);
            assertThat(replayed).as("once stored, the jti is spent").isEqualTo(400);
        }
    }

    @Test
    void sessionsTheContainerRestoresAfterARestartAreStillEndedByALogoutNamingTheirSubject() {
        try (ScriptedProvider provider = new ScriptedProvider()) {
            TestApp beforeRestart = TestApp.signingInAt(provider);
            Browser seenAfterRestart = new Browser();
            signIn(provider, seenAfterRestart, beforeRestart, "hal");
            Browser notSeenYet = new Browser();
            signIn(provider, notSeenYet, beforeRestart, "ida");

            try (TestApp node = beforeRestart.restarted()) {
                assertThat(seenAfterRestart.get(node.url("/me")).body())
                        .as("the session was restored")
                        .contains("remoteUser=hal");
                for (String subject : List.of("hal", "ida")) {
                    assertThat(logout(provider, node, logoutTokenFor(provider, subject)))
                            .isEqualTo(200);
                }

                assertThat(seenAfterRestart.get(node.url("/me")).statusCode())
                        .as("restored, then logged out")
                        .isEqualTo(302);
                assertThat(notSeenYet.get(node.url("/me")).statusCode())
                        .as("restored, logged out before its next request")
                        .isEqualTo(302);
            }
        }
    }
}
