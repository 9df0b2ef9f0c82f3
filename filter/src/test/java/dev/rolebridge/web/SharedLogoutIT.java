package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.ScriptedProvider.Signing;
import dev.rolebridge.testing.TestApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

                int status = 200;
                Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
                while (status == 200 && Instant.now().isBefore(deadline)) {
                    Thread.sleep(200);
                    status = onB.get(nodeB.url("/me")).statusCode();
                }
                assertThat(status).as("the session on node B ended").isEqualTo(302);

                HttpResponse<String> replayAtB = new Browser().postForm(nodeB.url("/backchannel-logout"),
                        Map.of("logout_token", token));
                assertThat(replayAtB.statusCode()).as("replay at the other node").isEqualTo(400);
            }
        }
    }
}
