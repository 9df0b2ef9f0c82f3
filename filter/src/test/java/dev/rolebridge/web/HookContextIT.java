package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.Provider;
import dev.rolebridge.testing.TestApp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A custom hook created with its context: its own parameters, the built-in hook, the stored memberships. */
class HookContextIT {

    private static Provider provider;

    @BeforeAll
    static void startProvider() {
        provider = new Provider();
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @Test
    void hookTakingTheContextReadsItsParametersWrapsTheBuiltInHookAndSeesTheStore() {
        try (TestApp app = TestApp.signingInAt(provider, params -> {
            params.put("syncHook", HooksForTests.WithContext.class.getName());
            params.put("syncHook.extraRole", "reader");
        })) {
            assertThat(app.started()).isTrue();
            String roles = "/me?role=builder&role=reader&role=returning";

            provider.nextLogin("sub-ctx", Map.of("preferred_username", "ctx", "groups", List.of("builder")));
            String first = new Browser().open(app.url(roles)).body();
            provider.nextLogin("sub-ctx", Map.of("preferred_username", "ctx", "groups", List.of("builder")));
            String second = new Browser().open(app.url(roles)).body();

            assertThat(first).contains("role.builder=true", "role.reader=true", "role.returning=false");
            assertThat(second).contains("role.builder=true", "role.reader=true", "role.returning=true");
        }
    }

    @Test
    void hookWithoutUsableConstructorStopsTheApplicationNamingTheShapes() {
        try (TestApp app = TestApp.signingInAt(
                provider, params -> params.put("syncHook", HooksForTests.NoConstructor.class.getName()))) {
            assertThat(app.started()).isFalse();
            assertThat(app.containerLog())
                    .contains("needs a public constructor taking a"
                            + " HookContext, or one taking a MembershipSyncHook (the built-in hook), or a public"
                            + " no-argument constructor");
        }
    }

    @Test
    void aStorageProblemComesInTheSameStartUpMessageAsASignInProblem() {
        try (TestApp app = TestApp.signingInAt(provider, params -> {
            params.put("clockSkewSeconds", "-5");
            params.put("jdbcUser", "app");
        })) {
            assertThat(app.started()).isFalse();
            assertThat(app.containerLog())
                    .contains("Rolebridge is misconfigured and will not start (2 problems)")
                    .contains("clockSkewSeconds: '-5' expected a whole number from 0 to 600")
                    .contains("jdbcUser: 'app' expected only together with jdbcUrl, which is not set");
        }
    }
}
