package dev.rolebridge.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OpenID provider that the test applications sign in with ({@link Provider}, {@link ScriptedProvider}): where
 * it is, and the filter's parameters for a client of it.
 */
public interface TestProvider extends AutoCloseable {

    /** The client id every test application is registered with. */
    String CLIENT_ID = "legacy-app";

    String issuer();

    String discoveryUri();

    /** The client secret the provider expects from {@link #CLIENT_ID}. */
    String clientSecret();

    /** Parameters for a Rolebridge filter using this provider from an application on {@code port} at {@code /app}. */
    default Map<String, String> filterParameters(int port) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("discoveryUri", discoveryUri());
        p.put("clientId", CLIENT_ID);
        p.put("clientSecret", clientSecret());
        p.put("callbackUrl", TestApp.callbackUrl(port));
        return p;
    }

    @Override
    void close();
}
