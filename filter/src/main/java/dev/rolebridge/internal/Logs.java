package dev.rolebridge.internal;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Loggers whose arguments cannot forge log lines: every control character (CR, LF, tab, ESC and the rest of
 * C0 and C1, DEL, and the Unicode line and paragraph separators) in a logged value is written escaped, as
 * {@code \n}, {@code \r}, {@code \t} or {@code \}{@code u001b}. Every Rolebridge class logs through one:
 *
 * <pre>{@code
 * private static final Logger LOG = Logs.escaping(LoggerFactory.getLogger(MyClass.class));
 * }</pre>
 */
public final class Logs {

    private Logs() {}

    /** A logger that escapes control characters in its arguments, the message, and then hands on to {@code delegate}. */
    public static Logger escaping(Logger delegate) {
        return delegate instanceof Escaping ? delegate : new Escaping(Objects.requireNonNull(delegate, "delegate"));
    }

    /** {@code value} as text with every control character escaped; {@code "null"} for {@code null}. */
    public static String escape(Object value) {
        String s = String.valueOf(value);
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
            if (control && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b == null) {
                continue;
            }
            if (!control) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b == null ? s : b.toString();
    }

    private static final class Escaping extends AbstractLogger {
        private static final long serialVersionUID = 1L;
        private final transient Logger delegate;

        Escaping(Logger delegate) {
            this.delegate = delegate;
            this.name = delegate.getName();
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(
                Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
            Object[] escaped = arguments == null ? new Object[0] : new Object[arguments.length];
            for (int i = 0; i < escaped.length; i++) {
                escaped[i] = escape(arguments[i]);
            }
            String message = escape(MessageFormatter.basicArrayFormat(pattern, escaped));
            switch (level) {
                case ERROR -> delegate.error(message, throwable);
                case WARN -> delegate.warn(message, throwable);
                case INFO -> delegate.info(message, throwable);
                case DEBUG -> delegate.debug(message, throwable);
                default -> delegate.trace(message, throwable);
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return delegate.isTraceEnabled();
        }

        @Override
        public boolean isTraceEnabled(Marker marker) {
            return delegate.isTraceEnabled(marker);
        }

        @Override
        public boolean isDebugEnabled() {
            return delegate.isDebugEnabled();
        }

        @Override
        public boolean isDebugEnabled(Marker marker) {
            return delegate.isDebugEnabled(marker);
        }

        @Override
        public boolean isInfoEnabled() {
            return delegate.isInfoEnabled();
        }

        @Override
        public boolean isInfoEnabled(Marker marker) {
            return delegate.isInfoEnabled(marker);
        }

        @Override
        public boolean isWarnEnabled() {
            return delegate.isWarnEnabled();
        }

        @Override
        public boolean isWarnEnabled(Marker marker) {
            return delegate.isWarnEnabled(marker);
        }

        @Override
        public boolean isErrorEnabled() {
            return delegate.isErrorEnabled();
        }

        @Override
        public boolean isErrorEnabled(Marker marker) {
            return delegate.isErrorEnabled(marker);
        }
    }
}
