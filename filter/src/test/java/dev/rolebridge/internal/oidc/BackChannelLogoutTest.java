package dev.rolebridge.internal.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BackChannelLogoutTest {

    private static final String ISSUER = "https://idp.example.com";
    private static final String CLIENT = "legacy-app";

    /** Nimbus checks the token against the real time, so the test clock starts there and only moves on. */
    private final TestClock clock = new TestClock(Instant.ofEpochMilli(System.currentTimeMillis()));

    private final List<String> recordedTokenIds = new ArrayList<>();
    private final SharedLogouts shared = new SharedLogouts() {
        @Override
        public boolean record(String issuer, String subject, String sid, String jti, Instant at) {
            recordedTokenIds.add(jti);
            return true;
        }

        @Override
        public List<Event> since(Instant since, int limit) {
            return List.of();
        }

        @Override
        public List<Numbered> after(long id, int limit) {
            return List.of();
        }
    };
    private final SessionRegistry sessions = new SessionRegistry(shared, Duration.ofSeconds(10), clock);
    private RSAKey key;
    private BackChannelLogout logout;

    @BeforeEach
    void provider() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        JWKSet published = new JWKSet(key.toPublicJWK());
        ProviderKeys keys = new ProviderKeys(
                new URL(ISSUER + "/jwks"), url -> new Resource(published.toString(true), "application/json"), clock);
        OIDCProviderMetadata metadata =
                new OIDCProviderMetadata(new Issuer(ISSUER), List.of(SubjectType.PUBLIC), URI.create(ISSUER + "/jwks"));
        metadata.setIDTokenJWSAlgs(List.of(JWSAlgorithm.RS256));
        logout = new BackChannelLogout(metadata, CLIENT, keys, 30, sessions, shared, clock);
    }

    private String logoutToken(String subject, Instant issuedAt) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(CLIENT)
                .subject(subject)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plusSeconds(120)))
                .jwtID(UUID.randomUUID().toString())
                .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID("k1")
                        .type(new JOSEObjectType("logout+jwt"))
                        .build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private int post(String token) throws Exception {
        FakeHttp.Request request = new FakeHttp.Request().parameter("logout_token", token);
        request.method = "POST";
        FakeHttp.Response response = new FakeHttp.Response();
        logout.handle(request.proxy(), response.proxy());
        return response.status;
    }

    private FakeHttp.Session signedIn(String subject) {
        FakeHttp.Session session = new FakeHttp.Session(clock.millis());
        sessions.register(session.proxy, subject, null, clock.millis());
        return session;
    }

    @Test
    void logoutTokenWithinTheReplayWindowEndsTheSubjectsSessions() throws Exception {
        String token = logoutToken("alice", clock.instant());
        FakeHttp.Session session = signedIn("alice");
        clock.advance(Duration.ofMillis(BackChannelLogout.REMEMBER_MILLIS).minusSeconds(1));

        assertThat(post(token)).isEqualTo(200);
        assertThat(session.invalid).isTrue();
        assertThat(recordedTokenIds).hasSize(1);
    }

    @Test
    void logoutTokenIssuedBeforeTheReplayWindowIsRefused() throws Exception {
        String token = logoutToken("alice", clock.instant());
        FakeHttp.Session session = signedIn("alice");
        clock.advance(Duration.ofMillis(BackChannelLogout.REMEMBER_MILLIS).plusSeconds(1));

        assertThat(post(token)).isEqualTo(400);
        assertThat(session.invalid).isFalse();
        assertThat(recordedTokenIds).isEmpty();
    }

    @Test
    void logoutTokenReplayedWithinTheWindowIsRefused() throws Exception {
        String token = logoutToken("alice", clock.instant());
        assertThat(post(token)).isEqualTo(200);
        clock.advance(Duration.ofMinutes(5));
        assertThat(post(token)).isEqualTo(400);
        assertThat(recordedTokenIds).hasSize(1);
    }
}
