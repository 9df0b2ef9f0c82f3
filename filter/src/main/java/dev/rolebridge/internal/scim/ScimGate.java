package dev.rolebridge.internal.scim;

import dev.rolebridge.internal.config.ScimSettings;
import dev.rolebridge.internal.store.MembershipStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Whether the SCIM endpoint answers, and which bearer tokens it takes: the configured {@code scimToken}, and the
 * tokens created on the administration page (kept as digests; one indexed query per request that does not carry
 * the configured one). An administrator may switch the endpoint off and on ({@value #ENABLED_SETTING}); without
 * that setting it is on exactly when {@code scimToken} is configured. The switch is read again at most every
 * {@link #RECHECK}, at once on the node that changed it. Thread-safe.
 */
public final class ScimGate {

    /** The setting that switches the endpoint on ({@code true}) or off ({@code false}). */
    public static final String ENABLED_SETTING = "scim.enabled";

    /** How long the switch is trusted before it is read again. */
    public static final Duration RECHECK = Duration.ofSeconds(5);

    private record Switch(boolean enabled, Instant checked) {}

    private final ScimSettings settings;
    private final Supplier<MembershipStore> store;
    private final Clock clock;
    private volatile Switch state = new Switch(false, Instant.MIN);

    public ScimGate(ScimSettings settings, Supplier<MembershipStore> store, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The endpoint's settings. */
    public ScimSettings settings() {
        return settings;
    }

    /** Whether the endpoint answers SCIM requests now. */
    public boolean enabled() {
        Switch now = state;
        Instant at = clock.instant();
        if (now.checked().plus(RECHECK).isAfter(at)) {
            return now.enabled();
        }
        boolean enabled;
        try {
            enabled = store.get()
                    .setting(ENABLED_SETTING)
                    .map(Boolean::parseBoolean)
                    .orElse(settings.hasConfiguredToken());
        } catch (RuntimeException e) {
            enabled = now.checked().equals(Instant.MIN) ? settings.hasConfiguredToken() : now.enabled();
        }
        state = new Switch(enabled, at);
        return enabled;
    }

    /** Whether a client presenting {@code token} is authorised: the configured token, or a valid created one. */
    public boolean accepts(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        if (settings.accepts(token)) {
            return true;
        }
        try {
            return store.get().scimTokenValid(ScimSettings.digestHex(token));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Tells it that this node changed the switch: the next request reads it again. */
    public void changed() {
        state = new Switch(state.enabled(), Instant.MIN);
    }
}
