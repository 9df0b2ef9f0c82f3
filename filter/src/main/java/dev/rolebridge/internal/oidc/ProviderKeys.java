package dev.rolebridge.internal.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import dev.rolebridge.internal.Throttle;
import java.io.IOException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The provider's signing keys, one source for the whole filter: ID tokens and back-channel logout tokens are
 * verified against the same cached key set. A key id the cached set does not hold (a key rotation, or a token
 * with a made-up {@code kid}) fetches the set again at most once per {@link #UNKNOWN_KEY_INTERVAL}, however
 * many such tokens arrive; the set is also refreshed once it is {@link #MAX_AGE} old, and a failed refresh
 * keeps the keys already known.
 */
final class ProviderKeys implements JWKSource<SecurityContext> {

    static final Duration UNKNOWN_KEY_INTERVAL = Duration.ofSeconds(30);
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final URL jwksUrl;
    private final ResourceRetriever retriever;
    private final Clock clock;
    private JWKSet keys;
    private Instant fetchedAt;
    private final Throttle unknownKeyFetch;

    ProviderKeys(URL jwksUrl, ResourceRetriever retriever, Clock clock) {
        this.jwksUrl = Objects.requireNonNull(jwksUrl, "jwksUrl");
        this.retriever = Objects.requireNonNull(retriever, "retriever");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.unknownKeyFetch = new Throttle(UNKNOWN_KEY_INTERVAL, clock);
    }

    @Override
    public synchronized List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        Instant now = clock.instant();
        if (keys == null || !now.isBefore(fetchedAt.plus(MAX_AGE))) {
            fetch(now);
        }
        List<JWK> found = selector.select(keys);
        if (found.isEmpty() && unknownKeyFetch.tryAcquire()) {
            fetch(now);
            found = selector.select(keys);
        }
        return found;
    }

    private void fetch(Instant now) throws KeySourceException {
        try {
            keys = JWKSet.parse(retriever.retrieveResource(jwksUrl).getContent());
            fetchedAt = now;
        } catch (IOException | java.text.ParseException e) {
            if (keys == null) {
                throw new KeySourceException(
                        "the provider's key set at " + jwksUrl + " could not be read: "
                                + e.getClass().getSimpleName(),
                        e);
            }
            fetchedAt = now; // keep the keys already known; try again after MAX_AGE or for an unknown key
        }
    }
}
