package dev.rolebridge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.EventRecordingLogger;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

class LogsTest {

    @Test
    void controlCharactersAreEscapedAndOtherTextKept() {
        assertThat(Logs.escape("eve\r\n2026-01-01 INFO forged\tline\u001b[31m\u0085\u2028é"))
                .isEqualTo("eve\\r\\n2026-01-01 INFO forged\\tline\\u001b[31m\\u0085\\u2028é");
        assertThat(Logs.escape(null)).isEqualTo("null");
    }

    @Test
    void escapingLoggerHandsOnOneLineWithTheArgumentsEscaped() {
        LinkedBlockingQueue<SubstituteLoggingEvent> events = new LinkedBlockingQueue<>();
        Logger recording = new EventRecordingLogger(new SubstituteLogger("t", events, false), events);

        Logs.escaping(recording).info("signed in {} (subject {})", "eve\nINFO forged", "sub\r1");

        assertThat(events).hasSize(1);
        assertThat(events.peek().getMessage()).isEqualTo("signed in eve\\nINFO forged (subject sub\\r1)");
    }
}
