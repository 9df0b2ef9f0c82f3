package dev.rolebridge.internal.config;

import static dev.rolebridge.internal.config.TestSettings.parameters;
import static dev.rolebridge.internal.config.TestSettings.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolebridge.config.RolebridgeConfig;
import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.config.RolebridgeSettings.ClientAuthMethod;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolebridgeSettingsTest {

    @Test
    void minimalParametersGiveDocumentedDefaults() {
        RolebridgeSettings s = settings(parameters());

        assertThat(s.scope()).isEqualTo("openid profile email");
        assertThat(s.groupsClaims()).containsExactly("groups");
        assertThat(s.usernameClaim()).isEqualTo("preferred_username");
        assertThat(s.logoutPath()).isEqualTo("/logout");
        assertThat(s.callbackPath()).isEqualTo("/callback");
        assertThat(s.clientAuthMethod()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
        assertThat(s.postLogoutRedirectUrl()).hasToString("https://app.example.com/legacy/");
        assertThat(s.providerLogout()).isTrue();
        assertThat(s.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.providerTimeoutMillis()).isEqualTo(5000);
        assertThat(s.securityHeaders()).isFalse();
        assertThat(s.idTokenSigningAlg()).isNull();
        assertThat(s.syncHook()).isNull();
        assertThat(s.excludedPaths().patterns()).isEmpty();
    }

    @Test
    void publicClientWithoutSecretAuthenticatesWithNone() {
        Map<String, String> p = parameters();
        p.remove("clientSecret");

        assertThat(settings(p).clientAuthMethod()).isEqualTo(ClientAuthMethod.NONE);
    }

    @Test
    void problemsOfSignInMappingAndStorageComeInOneMessage() {
        Map<String, String> p = parameters();
        p.remove("clientId");
        p.put("maxGroups", "many");
        p.put("jdbcUser", "app");
        p.put("jdbcPassword", "hunter2");

        assertThatThrownBy(() -> settings(p))
                .isInstanceOf(RolebridgeConfigurationException.class)
                .satisfies(e -> assertThat(((RolebridgeConfigurationException) e).problems())
                        .containsExactly(
                                "clientId: is required: the client id registered at the provider",
                                "maxGroups: 'many' expected a whole number greater than 0",
                                "jdbcUser: 'app' expected only together with jdbcUrl, which is not set",
                                "jdbcPassword: (value hidden) expected only together with jdbcUrl, which is not set"))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void storageIsReadWithTheRestAndPlaceholdersResolvedOnce() {
        Map<String, String> p = parameters();
        p.put("jdbcUrl", "${env:DB_URL}");
        p.put("jdbcUser", "app");
        int[] lookups = {0};
        RolebridgeSettings s = RolebridgeSettings.fromParameters(
                p,
                "/legacy",
                List.of(),
                name -> {
                    lookups[0]++;
                    return name.equals("DB_URL") ? "jdbc:postgresql://db/app" : null;
                },
                name -> null);

        assertThat(s.store().jdbcUrl()).isEqualTo("jdbc:postgresql://db/app");
        assertThat(s.store().jdbcUser()).isEqualTo("app");
        assertThat(s.store().isEmbedded()).isFalse();
        assertThat(lookups[0]).isEqualTo(1);
    }

    @Test
    void withoutDatabaseParametersTheEmbeddedDatabaseGoesToTheWorkDirectory() {
        RolebridgeSettings s = RolebridgeSettings.read(
                ParameterReader.of(parameters(), name -> null, name -> null),
                "/legacy",
                List.of(),
                java.nio.file.Path.of("/work/legacy"));

        assertThat(s.store().isEmbedded()).isTrue();
        assertThat(s.store().embeddedDirectory()).isEqualTo(java.nio.file.Path.of("/work/legacy"));
    }

    @Test
    void aCustomHooksOwnParametersArePassedOnWithoutThePrefix() {
        Map<String, String> p = parameters();
        p.put("syncHook.table", "EMPLOYEE_ROLES");
        p.put("syncHook.", "nameless");

        assertThatThrownBy(() -> settings(p)).hasMessageContaining("syncHook.: is not a Rolebridge parameter");
        p.remove("syncHook.");
        assertThat(settings(p).hookParameters()).containsExactly(Map.entry("table", "EMPLOYEE_ROLES"));
    }

    @Test
    void everyProblemIsReportedTogetherNamingParameterAndValue() {
        Map<String, String> p = parameters();
        p.put("discoveryUri", "not a url");
        p.remove("clientId");
        p.put("scope", "profile email");
        p.put("clockSkewSeconds", "soon");
        p.put("securityHeaders", "yes");
        p.put("excludedPaths", "/public/*, public, /a*b");

        assertThatThrownBy(() -> settings(p)).isInstanceOfSatisfying(RolebridgeConfigurationException.class, e -> {
            assertThat(e.problems()).hasSize(6);
            assertThat(e.getMessage())
                    .contains("6 problems")
                    .contains("discoveryUri: 'not a url'")
                    .contains("clientId: is required")
                    .contains("scope: 'profile email' must contain 'openid'")
                    .contains("clockSkewSeconds: 'soon' expected a whole number")
                    .contains("securityHeaders: 'yes' expected true or false")
                    .contains("excludedPaths:")
                    .contains("[public, /a*b]");
        });
    }

    @Test
    void roleRefreshSecondsDefaultsToAMinuteAndZeroTurnsItOff() {
        assertThat(settings(parameters()).roleRefreshSeconds()).isEqualTo(60);
        Map<String, String> p = parameters();
        p.put("roleRefreshSeconds", "0");
        assertThat(settings(p).roleRefreshSeconds()).isZero();
    }

    @Test
    void roleRefreshSecondsOutOfRangeStopsStartUpNamingTheParameter() {
        Map<String, String> p = parameters();
        p.put("roleRefreshSeconds", "-1");

        assertThatThrownBy(() -> settings(p))
                .hasMessageContaining("roleRefreshSeconds: '-1' expected a whole number from 0 to 86400");
        p.put("roleRefreshSeconds", "soon");
        assertThatThrownBy(() -> settings(p))
                .hasMessageContaining("roleRefreshSeconds: 'soon' expected a whole number");
    }

    @Test
    void secretValuesNeverAppearInMessages() {
        Map<String, String> p = parameters();
        p.put("clientSecret", "hunter2-very-secret");
        p.put("clientAuthMethod", "none");

        assertThatThrownBy(() -> settings(p))
                .hasMessageContaining("clientAuthMethod: is 'none' but a clientSecret is set")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void confidentialAuthMethodWithoutSecretIsRefused() {
        Map<String, String> p = parameters();
        p.remove("clientSecret");
        p.put("clientAuthMethod", "client_secret_post");

        assertThatThrownBy(() -> settings(p))
                .hasMessageContaining("clientSecret: is required when clientAuthMethod is " + "client_secret_post");
    }

    @Test
    void unknownParameterIsRefusedWithSuggestion() {
        Map<String, String> p = parameters();
        p.put("clientID", "x");
        p.put("frobnicate", "y");

        assertThatThrownBy(() -> settings(p))
                .hasMessageContaining("clientID: is not a Rolebridge parameter; did you mean 'clientId'?")
                .hasMessageContaining("frobnicate: is not a Rolebridge parameter; known parameters are");
    }

    @Test
    void blankValuesCountAsAbsent() {
        Map<String, String> p = parameters();
        p.put("scope", "   ");
        p.put("logoutPath", "");

        RolebridgeSettings s = settings(p);

        assertThat(s.scope()).isEqualTo("openid profile email");
        assertThat(s.logoutPath()).isEqualTo("/logout");
    }

    @Test
    void placeholdersResolveFromEnvironmentAndSystemProperties() {
        Map<String, String> p = parameters();
        p.put("clientSecret", "${env:OIDC_SECRET}");
        p.put("callbackUrl", "https://${sys:app.host}/legacy/callback");
        p.put("clientId", "${env:MISSING:-fallback-client}");

        RolebridgeSettings s = RolebridgeSettings.fromParameters(
                p,
                "/legacy",
                name -> name.equals("OIDC_SECRET") ? "from-env" : null,
                name -> name.equals("app.host") ? "apps.example.org" : null);

        assertThat(s.clientSecret()).isEqualTo("from-env");
        assertThat(s.callbackUrl()).hasToString("https://apps.example.org/legacy/callback");
        assertThat(s.clientId()).isEqualTo("fallback-client");
        assertThat(s.parameters()).containsEntry("clientSecret", "from-env");
    }

    @Test
    void unresolvablePlaceholderIsAStartupErrorNamingIt() {
        Map<String, String> p = parameters();
        p.put("clientSecret", "${env:OIDC_SECRET}");
        p.put("clientId", "${vault:x}");

        assertThatThrownBy(() -> settings(p))
                .isInstanceOfSatisfying(
                        RolebridgeConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "clientId: '${vault:x}' is not a valid reference; expected ${env:NAME}, ${sys:name} "
                                                + "or ${env:NAME:-fallback}",
                                        "clientSecret: '${env:OIDC_SECRET}' refers to environment variable 'OIDC_SECRET', "
                                                + "which is not set (add a fallback with ${env:OIDC_SECRET:-value})"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "https://app.example.com/other/callback | its path must lie inside this application",
                "https://app.example.com/legacy/ | its path must lie inside this application",
                "https://app.example.com/legacy/callback?x=1 | must have no query or fragment",
                "/legacy/callback | expected an absolute http(s) URL",
                "ftp://app.example.com/legacy/callback | expected an absolute http(s) URL"
            })
    void callbackUrlMustBeAbsoluteAndInsideTheApplication(String url, String expected) {
        Map<String, String> p = parameters();
        p.put("callbackUrl", url);

        assertThatThrownBy(() -> settings(p))
                .hasMessageContaining("callbackUrl: '" + url + "'")
                .hasMessageContaining(expected);
    }

    @Test
    void callbackPathMayNotBeExcludedNorBeTheLogoutPath() {
        Map<String, String> p = parameters();
        p.put("excludedPaths", "/*");
        p.put("logoutPath", "/callback");

        assertThatThrownBy(() -> settings(p))
                .hasMessageContaining("logoutPath: '/callback' must differ from the callback path")
                .hasMessageContaining("excludedPaths: '/*' must not exclude the callback path '/callback'");
    }

    @Test
    void relativePostLogoutRedirectResolvesAgainstCallbackOrigin() {
        Map<String, String> p = parameters();
        p.put("postLogoutRedirectUrl", "/legacy/goodbye.html");

        assertThat(settings(p).postLogoutRedirectUrl()).hasToString("https://app.example.com/legacy/goodbye.html");
    }

    @Test
    void protocolRelativePostLogoutRedirectIsRefused() {
        Map<String, String> p = parameters();
        p.put("postLogoutRedirectUrl", "//evil.example.net/");

        assertThatThrownBy(() -> settings(p)).hasMessageContaining("postLogoutRedirectUrl: '//evil.example.net/'");
    }

    @Test
    void groupsClaimAcceptsSeveralDottedPaths() {
        Map<String, String> p = parameters();
        p.put("groupsClaim", "groups, realm_access.roles, resource_access.legacy-app.roles");

        assertThat(settings(p).groupsClaims())
                .containsExactly("groups", "realm_access.roles", "resource_access.legacy-app.roles");
    }

    @Test
    void unsignedOrSymmetricSigningAlgorithmCannotBePinned() {
        Map<String, String> p = parameters();
        p.put("idTokenSigningAlg", "none");

        assertThatThrownBy(() -> settings(p)).hasMessageContaining("idTokenSigningAlg: 'none' expected one of");
        p.put("idTokenSigningAlg", "ES256");
        assertThat(settings(p).idTokenSigningAlg()).isEqualTo("ES256");
    }

    @Test
    void mappingParametersAreReadIntoTheMappingConfig() {
        Map<String, String> p = parameters();
        p.put("groupMappings", "engineers = all apps, ops");
        p.put("groupRoles", "all apps = builder");
        p.put("syncMode", "ADD_ONLY");

        RolebridgeSettings s = settings(p);

        assertThat(s.mapping().groupMappings()).containsEntry("engineers", List.of("all apps", "ops"));
        assertThat(s.mapping().groupRoles()).containsEntry("all apps", List.of("builder"));
        assertThat(s.mapping().syncMode()).hasToString("ADD_ONLY");
    }

    @Test
    void mappingProblemsAreReportedTogetherWithTheOthers() {
        Map<String, String> p = parameters();
        p.remove("clientId");
        p.put("syncMode", "SOMETIMES");

        assertThatThrownBy(() -> settings(p))
                .isInstanceOfSatisfying(
                        RolebridgeConfigurationException.class,
                        e -> assertThat(e.problems())
                                .hasSize(2)
                                .anySatisfy(line -> assertThat(line).startsWith("clientId: is required"))
                                .anySatisfy(line -> assertThat(line).startsWith("syncMode: 'SOMETIMES'")));
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(settings(parameters()).toString()).doesNotContain("s3cret");
    }

    @Test
    void annotationAttributesAndParameterNamesAreTheSameSet() {
        Set<String> attributes = Arrays.stream(RolebridgeConfig.class.getDeclaredMethods())
                .map(Method::getName)
                .collect(Collectors.toSet());

        assertThat(attributes).isEqualTo(ParameterReader.knownNames());
    }

    @RolebridgeConfig(clientId = "from-annotation", scope = "openid email", excludedPaths = "")
    static final class Annotated {}

    @Test
    void annotationAttributesReadAsParametersSkippingEmptyOnes() {
        RolebridgeConfig config = Annotated.class.getAnnotation(RolebridgeConfig.class);

        assertThat(AnnotationParameters.of(config))
                .isEqualTo(Map.of("clientId", "from-annotation", "scope", "openid email"));
    }

    @ParameterizedTest
    @CsvSource({
        "/health, /health, true",
        "/health, /health/x, false",
        "/public/*, /public, true",
        "/public/*, /public/a/b.css, true",
        "/public/*, /publicity, false",
        "*.css, /x/y.css, true",
        "*.css, /x/y.cssx, false",
        "*.css, /.css, false"
    })
    void excludedPathPatternsMatchOnSegmentBoundaries(String pattern, String path, boolean matches) {
        assertThat(new PathPatterns(List.of(pattern)).matches(path)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource({
        "*.js, /static/app.js, true, true",
        "*.js, /api/users/1.js, false, false",
        "/public/*, /public/x.js, false, true"
    })
    void extensionPatternsMatchOnlyRequestsTheContainerMapsByExtension(
            String pattern, String path, boolean extensionMapped, boolean matches) {
        assertThat(new PathPatterns(List.of(pattern)).matches(path, extensionMapped))
                .isEqualTo(matches);
    }

    @Test
    void discoveryUrlWithoutTheWellKnownSuffixNeedsTheIssuer() {
        Map<String, String> params = TestSettings.parameters();
        params.put("discoveryUri", "https://idp.example.com/oidc/metadata");

        assertThatThrownBy(() -> TestSettings.settings(params))
                .isInstanceOf(RolebridgeConfigurationException.class)
                .hasMessageContaining("issuer: is required because discoveryUri 'https://idp.example.com/oidc/metadata'"
                        + " does not end in '/.well-known/openid-configuration'");

        params.put("issuer", "https://idp.example.com/oidc");
        assertThat(TestSettings.settings(params).issuer()).isEqualTo("https://idp.example.com/oidc");
    }

    @Test
    void issuerDefaultsToTheDiscoveryUrlWithoutTheSuffix() {
        assertThat(TestSettings.settings(TestSettings.parameters()).issuer())
                .isEqualTo("https://idp.example.com/realms/acme");
    }

    @Test
    void plainHttpToAHostOtherThanLoopbackIsRefusedNamingTheParameter() {
        Map<String, String> params = TestSettings.parameters();
        params.put("discoveryUri", "http://idp.example.com/realms/acme/.well-known/openid-configuration");
        params.put("callbackUrl", "http://app.example.com/legacy/callback");

        assertThatThrownBy(() -> TestSettings.settings(params))
                .isInstanceOf(RolebridgeConfigurationException.class)
                .hasMessageContaining(
                        "discoveryUri: 'http://idp.example.com/realms/acme/.well-known/openid-configuration'"
                                + " uses http:// to 'idp.example.com', which is not loopback")
                .hasMessageContaining("callbackUrl: 'http://app.example.com/legacy/callback' uses http://")
                .hasMessageContaining("allowInsecureHttp");

        params.put("allowInsecureHttp", "true");
        assertThat(TestSettings.settings(params).allowInsecureHttp()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"localhost", "127.0.0.1", "127.0.0.2", "[::1]"})
    void plainHttpToLoopbackStaysAllowedForDevelopment(String host) {
        Map<String, String> params = TestSettings.parameters();
        params.put("discoveryUri", "http://" + host + ":8180/realms/acme/.well-known/openid-configuration");
        params.put("callbackUrl", "http://" + host + ":8080/legacy/callback");

        assertThat(TestSettings.settings(params).allowInsecureHttp()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1.example.com", "localhost.example.com", "127.1", "10.0.0.1"})
    void namesThatOnlyLookLikeLoopbackAreNotLoopback(String host) {
        assertThat(RolebridgeSettings.isLoopback(host)).isFalse();
    }
}
