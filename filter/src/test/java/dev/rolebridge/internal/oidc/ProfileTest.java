package dev.rolebridge.internal.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pac4j.core.profile.AttributeLocation;

class ProfileTest {

    private static TokenHandling.Profile profile() {
        TokenHandling.Profile profile = new TokenHandling.Profile();
        profile.setId("alice");
        profile.setClientName("rolebridge");
        profile.addAttribute("email", "alice@example.com");
        profile.addAuthenticationAttribute("amr", "pwd");
        profile.setRoles(Set.of("admin"));
        return profile;
    }

    @Test
    void attributesAreKeptAsPac4jKeepsThemCollectionsMerged() {
        TokenHandling.Profile profile = profile();
        profile.addAttribute("groups", List.of("a", "b"));
        profile.addAttribute("groups", List.of("b", "c"));
        profile.addAttribute("ignored", null);

        assertThat(profile.getAttribute("groups")).isEqualTo(List.of("a", "b", "c"));
        assertThat(profile.getAttributes()).containsOnlyKeys("email", "groups");
        assertThat(profile.containsAttribute("ignored")).isFalse();
        assertThat(profile.getAuthenticationAttribute("amr")).isEqualTo("pwd");
        profile.removeAttribute("email");
        assertThat(profile.getAttribute("email")).isNull();
    }

    @Test
    void profileSurvivesSerializationAsSessionsAreWritten() throws Exception {
        TokenHandling.Profile profile = profile();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(Map.of("rolebridge", profile));
        }
        Object read;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            read = ((Map<?, ?>) in.readObject()).get("rolebridge");
        }
        assertThat(read).isInstanceOf(TokenHandling.Profile.class).isEqualTo(profile);
        TokenHandling.Profile restored = (TokenHandling.Profile) read;
        assertThat(restored.getId()).isEqualTo("alice");
        assertThat(restored.getClientName()).isEqualTo("rolebridge");
        assertThat(restored.getRoles()).containsExactly("admin");
        assertThat(restored.getEmail()).isEqualTo("alice@example.com");
        assertThat(restored.getAuthenticationAttributes()).containsEntry("amr", "pwd");
    }

    @Test
    void definitionConvertsWithPac4jsConvertersIntoThisProfile() {
        TokenHandling.QuietDefinition definition = new TokenHandling.QuietDefinition();
        var profile = definition.newProfile();
        assertThat(profile).isInstanceOf(TokenHandling.Profile.class);
        definition.convertAndAdd(profile, AttributeLocation.PROFILE_ATTRIBUTE, "email_verified", "true");
        definition.convertAndAdd(profile, AttributeLocation.AUTHENTICATION_ATTRIBUTE, "acr", "1");
        assertThat(profile.getAttribute("email_verified")).isEqualTo(true);
        assertThat(profile.getAttributes()).doesNotContainKey("acr");
        assertThat(((TokenHandling.Profile) profile).getAuthenticationAttribute("acr"))
                .isEqualTo("1");
    }

    @Test
    void printoutCarriesNoAttributeValue() {
        assertThat(profile().toString()).doesNotContain("alice@example.com").doesNotContain("pwd");
    }
}
