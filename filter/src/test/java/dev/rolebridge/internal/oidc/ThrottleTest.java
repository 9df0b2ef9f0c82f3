package dev.rolebridge.internal.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.internal.Throttle;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleTest {

    private final TestClock clock = new TestClock();

    @Test
    void firstCallPassesThenOnlyOncePerInterval() {
        Throttle throttle = new Throttle(Duration.ofSeconds(2), clock);
        assertThat(throttle.tryAcquire()).isTrue();
        assertThat(throttle.tryAcquire()).isFalse();
        clock.advance(Duration.ofMillis(1999));
        assertThat(throttle.tryAcquire()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(throttle.tryAcquire()).isTrue();
        assertThat(throttle.tryAcquire()).isFalse();
    }

    @Test
    void forcedPassMakesTheNextOneWaitAFullInterval() {
        Throttle throttle = new Throttle(Duration.ofSeconds(2), clock);
        throttle.passed();
        assertThat(throttle.tryAcquire()).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(throttle.tryAcquire()).isTrue();
    }
}
