package dev.rolebridge.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets something happen at most once per interval, however many threads ask: a retry of an unreachable
 * provider, a refetch of its keys for an unknown key id, a look at the logouts other nodes received, a
 * clean-up. The first call always passes. Lock-free, so it can sit on the per-request path.
 *
 * <pre>{@code
 * private final Throttle retry = new Throttle(Duration.ofSeconds(2), clock);
 * ...
 * if (!retry.tryAcquire()) {
 *     throw new LoginFailedException(Reason.PROVIDER_UNAVAILABLE, "not available yet", null);
 * }
 * }</pre>
 */
public final class Throttle {

    private final long intervalMillis;
    private final Clock clock;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);

    public Throttle(Duration interval, Clock clock) {
        this.intervalMillis = Objects.requireNonNull(interval, "interval").toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** True when the interval since the last pass is over (or on the first call); the caller then goes ahead. */
    public boolean tryAcquire() {
        long now = clock.millis();
        long due = nextAllowed.get();
        return now >= due && nextAllowed.compareAndSet(due, now + intervalMillis);
    }

    /** Whether {@link #tryAcquire()} would let the caller go ahead now (nothing is taken). */
    public boolean due() {
        return due(clock.millis());
    }

    /** {@link #due()} at {@code now} (epoch ms), for a caller that read the clock already. */
    public boolean due(long now) {
        return now >= nextAllowed.get();
    }

    /** Counts a pass that happened regardless (a forced attempt): the next one waits a full interval. */
    public void passed() {
        nextAllowed.set(clock.millis() + intervalMillis);
    }

    /** The interval, for messages. */
    public Duration interval() {
        return Duration.ofMillis(intervalMillis);
    }
}
