package dev.rolebridge.internal.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An administrator's rules laid over the configuration ({@link MappingConfig#administered}). */
class AdministeredTest {

    private static final MappingConfig CONFIGURED = MappingConfig.parse(Map.of(
            "groupMappings", "engineers = builder; ops = builder, admin",
            "claimRules", "department=qa -> builder",
            "hardcodedGroups", "builder"));

    @Test
    void switchedOffRulesGoAndTheAdministratorsOwnFollowTheConfigured() {
        MappingConfig administered = CONFIGURED.administered(new Administered(
                List.of(Map.entry("contractors", List.of("end-users"))),
                List.of("country=NO -> admin"),
                List.of("end-users"),
                Set.of(Map.entry("ops", "admin")),
                Set.of("department=qa -> builder"),
                Set.of("builder"),
                null));

        assertThat(administered.groupMappings())
                .containsEntry("engineers", List.of("builder"))
                .containsEntry("ops", List.of("builder"))
                .containsEntry("contractors", List.of("end-users"));
        assertThat(administered.claimRules()).extracting(ClaimRule::text).containsExactly("country=NO -> admin");
        assertThat(administered.hardcodedGroups()).containsExactly("end-users");
        assertThat(administered.rolePriority()).isEqualTo(CONFIGURED.rolePriority());
        assertThat(CONFIGURED.groupMappings())
                .as("the configuration itself is unchanged")
                .containsKey("ops");
    }

    @Test
    void aNewRoleOrderAppliesAndOneThatDoesNotHoldTogetherIsRefusedWithTheStartUpMessage() {
        MappingConfig reordered = CONFIGURED.administered(new Administered(
                List.of(),
                List.of(),
                List.of(),
                Set.of(),
                Set.of(),
                Set.of(),
                List.of("builder", "admin", "end-user")));
        assertThat(reordered.rolePriority()).containsExactly("builder", "admin", "end-user");

        assertThatThrownBy(() -> CONFIGURED.administered(new Administered(
                        List.of(), List.of("department~[ -> builder"), List.of(), Set.of(), Set.of(), Set.of(), null)))
                .isInstanceOf(MappingConfigException.class)
                .hasMessageContaining("claimRules");
    }

    @Test
    void noRulesIsTheConfigurationAsItIs() {
        assertThat(Administered.none().isEmpty()).isTrue();
        MappingConfig same = CONFIGURED.administered(Administered.none());
        assertThat(same.groupMappings()).isEqualTo(CONFIGURED.groupMappings());
        assertThat(same.claimRules()).isEqualTo(CONFIGURED.claimRules());
        assertThat(same.configuredGrants()).isEqualTo(CONFIGURED.configuredGrants());
    }

    @Test
    void groupMappingTextsReadBackAsWritten() {
        String text = MappingConfig.groupMappingText("a=b, c;d", "app #1");
        assertThat(MappingConfig.groupMappingEntry(text)).isEqualTo(Map.entry("a=b, c;d", List.of("app #1")));
        assertThat(MappingConfig.groupMappingEntry("no equals sign")).isNull();
    }
}
