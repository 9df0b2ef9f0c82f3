package dev.rolebridge.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/** A real OpenID provider in-process (mock-oauth2-server) with one issuer, and helpers to script logins. */
public final class Provider implements AutoCloseable {

    public static final String ISSUER_ID = "default";
    public static final String CLIENT_ID = "legacy-app";

    private final MockOAuth2Server server = new MockOAuth2Server();

    public Provider() {
        server.start();
    }

    public MockOAuth2Server server() {
        return server;
    }

    public String discoveryUri() {
        return server.wellKnownUrl(ISSUER_ID).toString();
    }

    public String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    /** The next login at the provider is this user, with these extra claims. */
    public void nextLogin(String subject, Map<String, Object> claims) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", List.of(CLIENT_ID),
                new LinkedHashMap<>(claims), 3600));
    }

    /** Parameters for a filter talking to this provider from an application on {@code port}. */
    public Map<String, String> filterParameters(int port) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("discoveryUri", discoveryUri());
        p.put("clientId", CLIENT_ID);
        p.put("clientSecret", "test-secret");
        p.put("callbackUrl", TestApp.callbackUrl(port));
        return p;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
