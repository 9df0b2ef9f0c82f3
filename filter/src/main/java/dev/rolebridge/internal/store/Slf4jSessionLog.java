package dev.rolebridge.internal.store;

import org.eclipse.persistence.logging.AbstractSessionLog;
import org.eclipse.persistence.logging.SessionLog;
import org.eclipse.persistence.logging.SessionLogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the store's EclipseLink messages to SLF4J (logger {@code dev.rolebridge.internal.store.eclipselink}) instead
 * of standard output. EclipseLink's SEVERE and WARNING become WARN, except those that carry an exception:
 * the store retries or turns these into exceptions with a clear message of its own, so their stack traces
 * are DEBUG. INFO and CONFIG become DEBUG (EclipseLink announces every login); anything finer, including
 * SQL, TRACE. Bind parameters are never shown, at any level.
 */
final class Slf4jSessionLog extends AbstractSessionLog {

    private static final Logger LOG =
            dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger("dev.rolebridge.internal.store.eclipselink"));

    Slf4jSessionLog() {
        setLevel(LOG.isTraceEnabled() ? SessionLog.ALL : LOG.isDebugEnabled() ? SessionLog.CONFIG : SessionLog.WARNING);
    }

    /** Bind parameters (user names, subjects, group names) are never logged, at any level. */
    @Override
    public boolean shouldDisplayData() {
        return false;
    }

    @Override
    public void log(SessionLogEntry entry) {
        if (!shouldLog(entry.getLevel(), entry.getNameSpace())) {
            return;
        }
        String message = formatMessage(entry);
        Throwable exception = entry.getException();
        if (entry.getLevel() >= SessionLog.WARNING && exception == null) {
            LOG.warn(message, exception);
        } else if (entry.getLevel() >= SessionLog.CONFIG) {
            LOG.debug(message, exception);
        } else {
            LOG.trace(message, exception);
        }
    }
}
