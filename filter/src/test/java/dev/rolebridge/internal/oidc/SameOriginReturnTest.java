package dev.rolebridge.internal.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SameOriginReturnTest {

    @ParameterizedTest
    @ValueSource(strings = {"/app/reports", "/app/reports?year=2026&q=a%20b", "/", "/app/caf%C3%A9"})
    void localPathsAreReturnedTo(String path) {
        assertThat(SameOriginReturn.isLocalPath(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "//evil.example.net/",
                "/\\evil.example.net",
                "/%2F%2Fevil.example.net",
                "/%5cevil.example.net",
                "/app/%5C%5Cevil",
                "/%09/evil.example.net",
                "https://evil.example.net/",
                "evil",
                "/app/\t/x",
                ""
            })
    void pathsABrowserCouldReadAsAnotherOriginAreRefused(String path) {
        assertThat(SameOriginReturn.isLocalPath(path)).isFalse();
    }
}
