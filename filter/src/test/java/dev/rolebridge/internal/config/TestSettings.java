package dev.rolebridge.internal.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** A valid parameter set to start from; tests change what they are about. */
public final class TestSettings {

    private TestSettings() {}

    public static Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("discoveryUri", "https://idp.example.com/realms/acme/.well-known/openid-configuration");
        p.put("clientId", "legacy-app");
        p.put("clientSecret", "s3cret");
        p.put("callbackUrl", "https://app.example.com/legacy/callback");
        return p;
    }

    public static RolebridgeSettings settings(Map<String, String> parameters) {
        return RolebridgeSettings.fromParameters(parameters, "/legacy", name -> null, name -> null);
    }
}
