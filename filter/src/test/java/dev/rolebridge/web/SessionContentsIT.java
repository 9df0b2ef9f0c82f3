package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.TestApp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a container writes for a signed-in session when it persists or replicates it: the mapped groups and
 * roles, not the provider's group list a second time.
 */
class SessionContentsIT {

    @Test
    void aPersistedSessionHoldsTheMappedGroupsButNotTheProvidersGroupList() {
        String unmapped = "provider-only-group-7f3a9c";
        byte[] written;
        try (ScriptedProvider provider = new ScriptedProvider()) {
            TestApp app = TestApp.signingInAt(provider);
            try {
                provider.idTokenClaims(b -> b.subject("kit")
                        .claim("preferred_username", "kit")
                        .claim("groups", List.of("admin", unmapped)));
                assertThat(new Browser().open(app.url("/me?role=admin")).body())
                        .contains("remoteUser=kit")
                        .contains("role.admin=true");
            } finally {
                app.close(); // Tomcat's manager writes the live sessions out
            }
            written = app.persistedSessions();
        }

        String session = new String(written, StandardCharsets.ISO_8859_1);
        assertThat(session)
                .as("the signed-in session was written")
                .contains("kit")
                .contains("admin");
        assertThat(session).as("the provider's group list").doesNotContain(unmapped);
    }
}
