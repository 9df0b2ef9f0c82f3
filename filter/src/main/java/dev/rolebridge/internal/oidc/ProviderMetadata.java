package dev.rolebridge.internal.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.config.Parameter;
import dev.rolebridge.internal.config.RolebridgeSettings;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * Fetches the provider's discovery document with bounded timeouts and checks it: the issuer must be the
 * configured one (the {@code issuer} parameter, else the one the discovery URL names), always, {@code none} is never an accepted ID token algorithm, and a pinned algorithm
 * must be offered.
 */
final class ProviderMetadata {

    private ProviderMetadata() {}

    /**
     * @throws IOException when the provider cannot be reached or answers with an error status
     * @throws RolebridgeConfigurationException when the document contradicts the configuration
     */
    static OIDCProviderMetadata fetch(RolebridgeSettings settings) throws IOException {
        URI uri = settings.discoveryUri();
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, uri);
        request.setConnectTimeout(settings.providerTimeoutMillis());
        request.setReadTimeout(settings.providerTimeoutMillis());
        request.setFollowRedirects(false);
        var response = request.send();
        if (response.getStatusCode() != 200) {
            throw new IOException("discovery document " + uri + " answered HTTP " + response.getStatusCode());
        }
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.parse(response.getBodyAsJSONObject());
        } catch (ParseException e) {
            throw new IOException(
                    "discovery document " + uri + " is not valid OpenID provider metadata: " + e.getMessage(), e);
        }
        check(settings, metadata);
        return metadata;
    }

    private static void check(RolebridgeSettings settings, OIDCProviderMetadata metadata) {
        String discovery = settings.discoveryUri().toString();
        String issuer = metadata.getIssuer().getValue();
        String expected = settings.issuer();
        if (!stripSlash(expected).equals(stripSlash(issuer))) {
            throw new RolebridgeConfigurationException(List.of("discoveryUri: '" + discovery
                    + "' announces issuer '" + issuer + "', but the expected issuer is '" + expected + "' ("
                    + (settings.parameters().containsKey(Parameter.ISSUER.paramName())
                            ? "the issuer parameter"
                            : "the discovery URL without '" + RolebridgeSettings.WELL_KNOWN + "'")
                    + "); check the host name the provider is configured with"));
        }
        List<String> insecure = new java.util.ArrayList<>();
        java.util.Map<String, URI> endpoints = new java.util.LinkedHashMap<>();
        endpoints.put("issuer", URI.create(issuer));
        endpoints.put("authorization_endpoint", metadata.getAuthorizationEndpointURI());
        endpoints.put("token_endpoint", metadata.getTokenEndpointURI());
        endpoints.put("userinfo_endpoint", metadata.getUserInfoEndpointURI());
        endpoints.put("jwks_uri", metadata.getJWKSetURI());
        endpoints.put("end_session_endpoint", metadata.getEndSessionEndpointURI());
        endpoints.forEach((member, uri) -> {
            String why = settings.insecureHttp(uri);
            if (why != null) {
                insecure.add("discoveryUri: the provider's metadata names " + member + " '" + uri + "', which " + why);
            }
        });
        if (!insecure.isEmpty()) {
            throw new RolebridgeConfigurationException(insecure);
        }
        List<JWSAlgorithm> offered = metadata.getIDTokenJWSAlgs() == null
                ? List.of()
                : metadata.getIDTokenJWSAlgs().stream()
                        .filter(a -> !"none".equals(a.getName()))
                        .toList();
        String pinned = settings.idTokenSigningAlg();
        List<JWSAlgorithm> accepted;
        if (pinned != null) {
            if (offered.stream().noneMatch(a -> a.getName().equals(pinned))) {
                throw new RolebridgeConfigurationException(List.of("idTokenSigningAlg: '" + pinned
                        + "' is not offered by the provider, which signs ID tokens with " + offered));
            }
            accepted = List.of(JWSAlgorithm.parse(pinned));
        } else {
            accepted = offered;
        }
        if (accepted.isEmpty()) {
            throw new RolebridgeConfigurationException(List.of("discoveryUri: the provider at '" + discovery
                    + "' offers no signed ID tokens (id_token_signing_alg_values_supported lists only 'none')"));
        }
        metadata.setIDTokenJWSAlgs(accepted);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
