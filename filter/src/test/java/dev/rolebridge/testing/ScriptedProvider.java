package dev.rolebridge.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.PlainObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import net.minidev.json.JSONObject;

/**
 * A small OpenID provider on loopback whose every answer a test can script: the ID token's claims, its
 * signature and algorithm, whether the token response has an ID token at all, the UserInfo subject, the
 * signing keys and the discovery document. Built on Nimbus, for the malformed cases a real provider never
 * produces.
 */
public final class ScriptedProvider implements TestProvider {

    public static final String CLIENT_SECRET = "scripted-secret";

    /** How the ID token is signed. */
    public enum Signing {
        RS256,
        ES256,
        RS256_WRONG_KEY,
        ES256_WRONG_KEY,
        NONE,
        RS256_NO_KID,
        RS256_UNKNOWN_KID
    }

    private final HttpServer server;
    private final String issuer;
    private final Map<String, Authorization> codes = new ConcurrentHashMap<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    // not copy-on-write: each login adds four, and a benchmark's thousands of logins would copy it at each
    private final java.util.Queue<String> issued = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile RSAKey rsaKey;
    private final ECKey ecKey;
    private final RSAKey otherRsaKey;
    private final ECKey otherEcKey;

    // the script, reset by reset()
    private volatile Consumer<JWTClaimsSet.Builder> claims;
    private volatile Signing signing;
    private volatile boolean omitIdToken;
    private volatile String userInfoSubject;
    private volatile List<String> advertisedAlgorithms;
    private volatile String advertisedIssuer;
    private volatile Map<String, Object> rawIdTokenClaims;
    private volatile long tokenDelayMillis;
    private volatile int discoveryStatus;
    private volatile boolean loginPage;
    private volatile List<String> nullIdTokenClaims;
    private volatile Map<String, Object> userInfoClaims;
    private volatile List<String> omittedFromDiscovery;
    private volatile Map<String, String> discoveryOverrides;

    private record Authorization(String redirectUri, String state, String nonce, String challenge, String subject) {}

    public ScriptedProvider() {
        try {
            rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            otherRsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
            otherEcKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
            server = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        } catch (JOSEException | IOException e) {
            throw new IllegalStateException(e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/op";
        server.createContext("/op/.well-known/openid-configuration", this::discovery);
        server.createContext("/op/metadata", this::discovery); // the same document at a URL without the suffix
        server.createContext("/op/authorize", this::authorize);
        server.createContext("/op/token", this::token);
        server.createContext("/op/userinfo", this::userInfo);
        server.createContext("/op/jwks", this::jwks);
        server.createContext("/op/logout", exchange -> send(exchange, 200, "text/plain", "signed out"));
        reset();
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scripted-provider");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** Back to well-behaved answers. */
    public void reset() {
        claims = b -> {};
        signing = Signing.RS256;
        omitIdToken = false;
        userInfoSubject = null;
        advertisedAlgorithms = List.of("RS256", "ES256");
        advertisedIssuer = null;
        rawIdTokenClaims = null;
        tokenDelayMillis = 0;
        discoveryStatus = 200;
        nullIdTokenClaims = List.of();
        userInfoClaims = Map.of();
        omittedFromDiscovery = List.of();
        discoveryOverrides = Map.of();
    }

    /**
     * The authorization endpoint answers with a page of its own that sends the browser back (as a provider's
     * login form does), instead of a redirect: the way back to the application is then a navigation that a page
     * of the provider's site starts.
     */
    public void loginPage(boolean page) {
        this.loginPage = page;
    }

    /** The discovery document answers with this status (and no document unless 200). */
    public void discoveryStatus(int status) {
        this.discoveryStatus = status;
    }

    /** The next ID tokens carry these claims with the JSON value {@code null}. */
    public void nullIdTokenClaims(String... names) {
        this.nullIdTokenClaims = List.of(names);
    }

    /** The UserInfo response carries these claims too ({@code null} values are sent as JSON {@code null}). */
    public void userInfoClaims(Map<String, Object> claims) {
        this.userInfoClaims = new HashMap<>(claims);
    }

    /** The discovery document names this URL for {@code member} (e.g. {@code token_endpoint}). */
    public void advertise(String member, String url) {
        Map<String, String> all = new HashMap<>(discoveryOverrides);
        all.put(member, url);
        this.discoveryOverrides = all;
    }

    /** Leaves these members out of the discovery document. */
    public void omitFromDiscovery(String... members) {
        this.omittedFromDiscovery = List.of(members);
    }

    /** The token endpoint answers only after this delay, as a provider under load would. */
    public void tokenDelay(long millis) {
        this.tokenDelayMillis = millis;
    }

    @Override
    public String issuer() {
        return issuer;
    }

    @Override
    public String discoveryUri() {
        return issuer + "/.well-known/openid-configuration";
    }

    @Override
    public String clientSecret() {
        return CLIENT_SECRET;
    }

    /** The discovery document at a URL that does not end in {@code /.well-known/openid-configuration}. */
    public String discoveryUriWithoutSuffix() {
        return issuer + "/metadata";
    }

    /** Changes the next ID tokens' claims after the defaults (iss, sub, aud, exp, iat, nonce) are set. */
    public void idTokenClaims(Consumer<JWTClaimsSet.Builder> customizer) {
        this.claims = customizer;
    }

    /** The next ID tokens are about {@code subject}, who is also their {@code preferred_username}. */
    public void nextSubject(String subject) {
        idTokenClaims(b -> b.subject(subject).claim("preferred_username", subject));
    }

    /** Replaces the ID token's claims with raw JSON values (for types a claims builder would refuse). */
    public void rawIdTokenClaims(Map<String, Object> raw) {
        this.rawIdTokenClaims = raw;
    }

    public void signing(Signing signing) {
        this.signing = signing;
    }

    public void omitIdToken() {
        this.omitIdToken = true;
    }

    public void userInfoSubject(String subject) {
        this.userInfoSubject = subject;
    }

    public void advertiseAlgorithms(List<String> algorithms) {
        this.advertisedAlgorithms = algorithms;
    }

    public void advertiseIssuer(String issuer) {
        this.advertisedIssuer = issuer;
    }

    /** Signs from now on with a new RSA key under a new key id, publishing only it. */
    public void rotateRsaKey() {
        try {
            rsaKey = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code sid} the ID token of the sign-in started with {@code state} carries. */
    public static String sidOf(String state) {
        return "sid-" + state;
    }

    /**
     * A back-channel logout token: well-formed for this client unless {@code changes} alter it (a {@code null}
     * value removes a claim), signed as {@code signing} says.
     */
    public String logoutToken(Map<String, Object> changes, Signing signing) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", CLIENT_ID);
        claims.put("iat", Instant.now().getEpochSecond());
        claims.put("exp", Instant.now().plusSeconds(120).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
        Map<String, Object> all = merge(claims, changes);
        try {
            return switch (signing) {
                case RS256 -> signTyped(all, JWSAlgorithm.RS256, rsaKey, rsaKey.getKeyID());
                case RS256_WRONG_KEY -> signTyped(all, JWSAlgorithm.RS256, otherRsaKey, rsaKey.getKeyID());
                case RS256_UNKNOWN_KID -> signTyped(all, JWSAlgorithm.RS256, rsaKey, "unknown-" + UUID.randomUUID());
                case NONE -> new PlainObject(new Payload(all)).serialize();
                default -> throw new IllegalArgumentException(signing.name());
            };
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a logout token to an application's back-channel logout endpoint, as a provider does: no cookies. */
    public HttpResponse<String> sendLogout(String backChannelLogoutUrl, String logoutToken) {
        return new Browser().postForm(backChannelLogoutUrl, Map.of("logout_token", logoutToken));
    }

    private static String signTyped(Map<String, Object> set, JWSAlgorithm alg, RSAKey key, String kid)
            throws JOSEException {
        JWSHeader header = new JWSHeader.Builder(alg)
                .keyID(kid)
                .type(new com.nimbusds.jose.JOSEObjectType("logout+jwt"))
                .build();
        JWSObject jwt = new JWSObject(header, new Payload(set));
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** Every code and token this provider handed out, for tests that check none of them leaks. */
    public List<String> issuedSecrets() {
        return List.copyOf(issued);
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        if (discoveryStatus != 200) {
            send(exchange, discoveryStatus, "text/plain", "unavailable");
            return;
        }
        JSONObject json = new JSONObject();
        json.put("issuer", advertisedIssuer != null ? advertisedIssuer : issuer);
        json.put("authorization_endpoint", issuer + "/authorize");
        json.put("token_endpoint", issuer + "/token");
        json.put("userinfo_endpoint", issuer + "/userinfo");
        json.put("jwks_uri", issuer + "/jwks");
        json.put("end_session_endpoint", issuer + "/logout");
        json.put("backchannel_logout_supported", true);
        json.put("backchannel_logout_session_supported", true);
        json.put("response_types_supported", List.of("code"));
        json.put("subject_types_supported", List.of("public"));
        json.put("id_token_signing_alg_values_supported", advertisedAlgorithms);
        json.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt", "client_secret_basic"));
        omittedFromDiscovery.forEach(json::remove);
        json.putAll(discoveryOverrides);
        send(exchange, 200, "application/json", json.toJSONString());
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
        String code = UUID.randomUUID().toString();
        issued.add(code);
        String subject = q.getOrDefault("login_hint", "scripted-user");
        codes.put(
                code,
                new Authorization(
                        q.get("redirect_uri"), q.get("state"), q.get("nonce"), q.get("code_challenge"), subject));
        String location = q.get("redirect_uri") + "?code=" + code + "&state=" + enc(q.get("state"));
        if (loginPage) {
            send(
                    exchange,
                    200,
                    "text/html",
                    "<!DOCTYPE html><title>Provider</title><meta http-equiv=\"refresh\" " + "content=\"0;url="
                            + location.replace("&", "&amp;") + "\">");
            return;
        }
        exchange.getResponseHeaders().add("Location", location);
        send(exchange, 302, "text/plain", "");
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        if (tokenDelayMillis > 0) {
            // not a wait for something: the scripted slowness of a provider under load (tokenDelay)
            try {
                Thread.sleep(tokenDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, String> form = query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Authorization auth = codes.remove(form.getOrDefault("code", ""));
        if (auth == null) {
            send(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        String verifier = form.get("code_verifier");
        if (auth.challenge() == null
                || verifier == null
                || !CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier))
                        .getValue()
                        .equals(auth.challenge())) {
            send(exchange, 400, "application/json", "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE\"}");
            return;
        }
        JSONObject json = new JSONObject();
        json.put("access_token", "at-" + UUID.randomUUID());
        json.put("token_type", "Bearer");
        json.put("expires_in", 300);
        json.put("refresh_token", "rt-" + UUID.randomUUID());
        Map<String, Object> set = claimsFor(auth);
        if (!omitIdToken) {
            json.put("id_token", serialize(set));
            issued.add(json.getAsString("id_token"));
        }
        issued.add(json.getAsString("access_token"));
        issued.add(json.getAsString("refresh_token"));
        String subject = set.get("sub") instanceof String sub ? sub : auth.subject();
        userInfoSubjects.put(json.getAsString("access_token"), subject);
        send(exchange, 200, "application/json", json.toJSONString());
    }

    private final Map<String, String> userInfoSubjects = new ConcurrentHashMap<>();

    private Map<String, Object> claimsFor(Authorization auth) {
        {
            JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                    .issuer(issuer)
                    .subject(auth.subject())
                    .audience(CLIENT_ID)
                    .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                    .issueTime(Date.from(Instant.now()))
                    .claim("nonce", auth.nonce())
                    .claim("sid", "sid-" + auth.state())
                    .claim("preferred_username", auth.subject());
            claims.accept(b);
            Map<String, Object> json = new HashMap<>(b.build().toJSONObject());
            Map<String, Object> all = rawIdTokenClaims != null ? merge(json, rawIdTokenClaims) : json;
            nullIdTokenClaims.forEach(name -> all.put(name, null));
            return all;
        }
    }

    private String serialize(Map<String, Object> set) {
        try {
            return switch (signing) {
                case NONE -> new PlainObject(new Payload(set)).serialize();
                case RS256 -> sign(set, JWSAlgorithm.RS256, rsaKey, rsaKey.getKeyID());
                case RS256_NO_KID -> sign(set, JWSAlgorithm.RS256, rsaKey, null);
                case RS256_UNKNOWN_KID -> sign(set, JWSAlgorithm.RS256, rsaKey, "unknown-" + UUID.randomUUID());
                case RS256_WRONG_KEY -> sign(set, JWSAlgorithm.RS256, otherRsaKey, rsaKey.getKeyID());
                case ES256 -> sign(set, JWSAlgorithm.ES256, ecKey, ecKey.getKeyID());
                case ES256_WRONG_KEY -> sign(set, JWSAlgorithm.ES256, otherEcKey, ecKey.getKeyID());
            };
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> merge(Map<String, Object> set, Map<String, Object> raw) {
        Map<String, Object> all = new HashMap<>(set);
        raw.forEach((k, v) -> {
            if (v == null) {
                all.remove(k);
            } else {
                all.put(k, v);
            }
        });
        return all;
    }

    private static String sign(Map<String, Object> set, JWSAlgorithm alg, JWK key, String kid) throws JOSEException {
        JWSHeader header = new JWSHeader.Builder(alg)
                .keyID(kid)
                .type(com.nimbusds.jose.JOSEObjectType.JWT)
                .build();
        JWSObject jwt = new JWSObject(header, new Payload(new JSONObject(set).toJSONString())); // keeps JSON nulls
        jwt.sign(key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key));
        return jwt.serialize();
    }

    private void userInfo(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = authorization == null ? "" : authorization.replaceFirst("(?i)^Bearer ", "");
        String subject = userInfoSubjects.get(token);
        if (subject == null) {
            send(exchange, 401, "application/json", "{\"error\":\"invalid_token\"}");
            return;
        }
        JSONObject json = new JSONObject();
        json.put("sub", userInfoSubject != null ? userInfoSubject : subject);
        json.put("email", subject + "@example.com");
        json.putAll(userInfoClaims);
        send(exchange, 200, "application/json", json.toJSONString());
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksRequests.incrementAndGet();
        List<JWK> keys = new ArrayList<>(List.of(rsaKey.toPublicJWK(), ecKey.toPublicJWK()));
        if (signing == Signing.RS256_NO_KID) {
            try {
                keys = List.of(new RSAKey.Builder(rsaKey.toRSAPublicKey()).build());
            } catch (JOSEException e) {
                throw new IOException(e);
            }
        }
        send(exchange, 200, "application/json", new JWKSet(keys).toString(true));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> map = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return map;
        }
        for (String pair : raw.split("&", 0)) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            map.putIfAbsent(key, value);
        }
        return map;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
