package dev.rolebridge.internal.config;

import static dev.rolebridge.internal.config.TestSettings.parameters;
import static dev.rolebridge.internal.config.TestSettings.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolebridge.config.RolebridgeConfigurationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScimSettingsTest {

    private static final String TOKEN = "a-long-enough-scim-token";

    @Test
    void withoutScimTokenScimIsOff() {
        assertThat(settings(parameters()).scim()).isNull();
    }

    @Test
    void aReferencedTokenIsAcceptedAndOnlyThatToken() {
        Map<String, String> p = parameters();
        p.put("scimToken", "${env:SCIM_TOKEN}");

        ScimSettings scim = RolebridgeSettings.fromParameters(
                        p, "/legacy", name -> name.equals("SCIM_TOKEN") ? TOKEN : null, name -> null)
                .scim();

        assertThat(scim.path()).isEqualTo("/scim/v2");
        assertThat(scim.userMatch()).isEqualTo(ScimSettings.UserMatch.USER_NAME);
        assertThat(scim.accepts(TOKEN)).isTrue();
        assertThat(scim.accepts(TOKEN + "x")).isFalse();
        assertThat(scim.accepts(null)).isFalse();
        assertThat(scim.toString()).doesNotContain(TOKEN);
    }

    @Test
    void aSha256DigestAcceptsTheTokenItDigestsInEitherCase() throws Exception {
        String hex = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> p = parameters();
        p.put("scimToken", "sha256:" + hex.toUpperCase(java.util.Locale.ROOT));
        p.put("scimUserMatch", "externalid");

        ScimSettings scim = settings(p).scim();

        assertThat(scim.accepts(TOKEN)).isTrue();
        assertThat(scim.accepts(hex)).as("the digest is no token").isFalse();
        assertThat(scim.userMatch()).isEqualTo(ScimSettings.UserMatch.EXTERNAL_ID);
    }

    @Test
    void aLiteralTokenABadDigestABadPathAndAnUnknownMatchAreRefusedTogetherWithoutShowingTheToken() {
        Map<String, String> literal = parameters();
        literal.put("scimToken", TOKEN);
        literal.put("scimPath", "/logout");
        literal.put("scimUserMatch", "email");

        RolebridgeConfigurationException refused = org.junit.jupiter.api.Assertions.assertThrows(
                RolebridgeConfigurationException.class, () -> settings(literal));
        String tokenProblem = "scimToken: (value hidden) expected a reference";
        String pathProblem = "scimPath: '/logout' must not contain";
        String matchProblem = "scimUserMatch: 'email' expected";
        assertThat(refused.problems())
                .anySatisfy(line -> assertThat(line).startsWith(tokenProblem))
                .anySatisfy(line -> assertThat(line).startsWith(pathProblem))
                .anySatisfy(line -> assertThat(line).startsWith(matchProblem));
        assertThat(refused.getMessage()).doesNotContain(TOKEN);

        Map<String, String> digest = parameters();
        digest.put("scimToken", "sha256:abc");
        assertThatThrownBy(() -> settings(digest)).hasMessageContaining("scimToken: (value hidden) expected sha256:");
    }

    @Test
    void theEndpointCoversItsPathAndWhatLiesBelowOnly() {
        ScimSettings scim = new ScimSettings("/scim/v2", new byte[32], ScimSettings.UserMatch.USER_NAME);

        assertThat(scim.covers("/scim/v2")).isTrue();
        assertThat(scim.covers("/scim/v2/Users")).isTrue();
        assertThat(scim.covers("/scim/v2x")).isFalse();
        assertThat(scim.covers("/scim")).isFalse();
    }

    @Test
    void aReferenceResolvingToAShortTokenOrToNothingStopsStartUp() {
        Map<String, String> p = parameters();
        p.put("scimToken", "${env:SCIM_TOKEN}");

        assertThatThrownBy(() -> RolebridgeSettings.fromParameters(
                        p, "/legacy", name -> name.equals("SCIM_TOKEN") ? "short-token" : null, name -> null))
                .isInstanceOf(RolebridgeConfigurationException.class)
                .hasMessageContaining("scimToken")
                .hasMessageContaining("shorter than 16 characters")
                .hasMessageNotContaining("short-token");
        assertThatThrownBy(() -> RolebridgeSettings.fromParameters(p, "/legacy", name -> null, name -> null))
                .isInstanceOf(RolebridgeConfigurationException.class)
                .hasMessageContaining("scimToken");
    }
}
