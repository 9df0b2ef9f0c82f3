package dev.rolebridge.internal.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProviderKeysTest {

    private final AtomicInteger fetches = new AtomicInteger();
    private volatile JWKSet published;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private final ResourceRetriever retriever = url -> {
        fetches.incrementAndGet();
        if (published == null) {
            throw new java.io.IOException("HTTP 500");
        }
        return new Resource(published.toString(true), "application/json");
    };

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private static JWKSelector kid(String kid) {
        return new JWKSelector(new JWKMatcher.Builder().keyID(kid).build());
    }

    @Test
    void unknownKeyIdsFetchAtMostOncePerIntervalAndRotationIsPickedUp() throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("k1").generate();
        published = new JWKSet(first.toPublicJWK());
        ProviderKeys keys = new ProviderKeys(new URL("https://idp.example.com/jwks"), retriever, clock);

        assertThat(keys.get(kid("k1"), null)).hasSize(1);
        assertThat(fetches).hasValue(1);

        RSAKey second = new RSAKeyGenerator(2048).keyID("k2").generate();
        published = new JWKSet(second.toPublicJWK());
        assertThat(keys.get(kid("k2"), null))
                .as("a rotation is fetched at once")
                .hasSize(1);
        assertThat(fetches).hasValue(2);

        for (int i = 0; i < 50; i++) {
            assertThat(keys.get(kid("random-" + i), null)).isEmpty();
        }
        assertThat(fetches)
                .as("no fetch for unknown key ids within the interval")
                .hasValue(2);

        now = now.plus(ProviderKeys.UNKNOWN_KEY_INTERVAL);
        assertThat(keys.get(kid("random-x"), null)).isEmpty();
        assertThat(keys.get(kid("random-y"), null)).isEmpty();
        assertThat(fetches).as("one fetch once the interval has passed").hasValue(3);
    }

    @Test
    void theKeySetIsRefreshedWhenOldAndKeptWhenTheRefreshFails() throws Exception {
        published = new JWKSet(new RSAKeyGenerator(2048).keyID("k1").generate().toPublicJWK());
        ProviderKeys keys = new ProviderKeys(new URL("https://idp.example.com/jwks"), retriever, clock);
        keys.get(kid("k1"), null);

        now = now.plus(ProviderKeys.MAX_AGE).plus(Duration.ofSeconds(1));
        published = null; // the provider answers with an error now
        assertThat(keys.get(kid("k1"), null)).as("the known keys stay").hasSize(1);
        assertThat(fetches).hasValue(2);
    }
}
