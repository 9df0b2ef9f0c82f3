package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.persistence.logging.SessionLog;
import org.junit.jupiter.api.Test;

class Slf4jSessionLogTest {

    @Test
    void bindParametersAreNeverShownEvenAtTheFinestLevel() {
        Slf4jSessionLog log = new Slf4jSessionLog();
        log.setLevel(SessionLog.ALL);

        assertThat(log.shouldDisplayData()).isFalse();
    }
}
