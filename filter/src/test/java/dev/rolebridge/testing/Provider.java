package dev.rolebridge.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/** A real OpenID provider in-process (mock-oauth2-server) with one issuer, and helpers to script logins. */
public final class Provider implements TestProvider {

    public static final String ISSUER_ID = "default";

    private final MockOAuth2Server server = new MockOAuth2Server();

    public Provider() {
        server.start();
    }

    public MockOAuth2Server server() {
        return server;
    }

    @Override
    public String discoveryUri() {
        return server.wellKnownUrl(ISSUER_ID).toString();
    }

    @Override
    public String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    /** mock-oauth2-server accepts any secret. */
    @Override
    public String clientSecret() {
        return "test-secret";
    }

    /** The next login at the provider is this user, with these extra claims. */
    public void nextLogin(String subject, Map<String, Object> claims) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(
                ISSUER_ID, subject, "JWT", List.of(CLIENT_ID), new LinkedHashMap<>(claims), 3600));
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
