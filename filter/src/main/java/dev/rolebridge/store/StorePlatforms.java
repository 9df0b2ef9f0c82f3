package dev.rolebridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.TimeZone;
import org.eclipse.persistence.internal.sessions.AbstractSession;
import org.eclipse.persistence.platform.database.H2Platform;
import org.eclipse.persistence.platform.database.MariaDBPlatform;
import org.eclipse.persistence.platform.database.PostgreSQLPlatform;

/**
 * EclipseLink's platforms for the three databases, with one change: the store's times, UTC dates and times
 * held as {@link LocalDateTime}, are written and read through a UTC calendar, so they reach the table and
 * come back exactly, whatever the JVM's time zone. EclipseLink writes them with
 * {@code setTimestamp(Timestamp.valueOf(time))} and reads them with {@code getTimestamp}, both in the JVM's
 * zone, which moves every time that falls in a daylight-saving gap of that zone: with the JVM in
 * Europe/Berlin, 02:30 UTC on the last Sunday of March was stored as 03:30, and a logout recorded then was
 * listed after logouts recorded later. {@code setObject}/{@code getObject(column, LocalDateTime.class)}
 * would not do: MariaDB's driver reads a {@code DATETIME} through the JVM's zone even then.
 *
 * <p>Reading a column through the platform means leaving EclipseLink's optimised conversion, which calls
 * {@code getTimestamp} itself; the store reads few rows at a time, so the cost does not show.
 */
final class StorePlatforms {

    private StorePlatforms() {
    }

    /** The platform class to name in {@code eclipselink.target-database}. */
    static String of(Database.Vendor vendor) {
        return switch (vendor) {
            case H2 -> H2.class.getName();
            case POSTGRESQL -> PostgreSql.class.getName();
            case MARIADB -> MariaDb.class.getName();
        };
    }

    /** EclipseLink's own platform for the vendor, by name, for an EclipseLink this class cannot extend. */
    static String stockOf(Database.Vendor vendor) {
        return switch (vendor) {
            case H2 -> "org.eclipse.persistence.platform.database.H2Platform";
            case POSTGRESQL -> "org.eclipse.persistence.platform.database.PostgreSQLPlatform";
            case MARIADB -> "org.eclipse.persistence.platform.database.MariaDBPlatform";
        };
    }

    /** Binds a {@link LocalDateTime} as the UTC date and time it is; false for any other parameter. */
    static boolean bind(Object parameter, PreparedStatement statement, int index) throws SQLException {
        if (parameter instanceof LocalDateTime time) {
            statement.setTimestamp(index, Timestamp.from(time.toInstant(ZoneOffset.UTC)), utc());
            return true;
        }
        return false;
    }

    /** A timestamp column's UTC date and time, or {@code null}. */
    static LocalDateTime read(ResultSet resultSet, int column) throws SQLException {
        Timestamp time = resultSet.getTimestamp(column, utc());
        return time == null ? null : LocalDateTime.ofInstant(time.toInstant(), ZoneOffset.UTC);
    }

    /** A new one each time: drivers set fields of the calendar they are given. */
    private static Calendar utc() {
        return new GregorianCalendar(TimeZone.getTimeZone(ZoneOffset.UTC));
    }

    public static final class H2 extends H2Platform {

        private static final long serialVersionUID = 1L;

        /** Never: the optimised conversion reads timestamps in the JVM's zone. */
        @Override
        public boolean shouldOptimizeDataConversion() {
            return false;
        }

        @Override
        public void setParameterValueInDatabaseCall(Object parameter, PreparedStatement statement, int index,
                AbstractSession session) throws SQLException {
            if (!bind(parameter, statement, index)) {
                super.setParameterValueInDatabaseCall(parameter, statement, index, session);
            }
        }

        @Override
        public Object getObjectFromResultSet(ResultSet resultSet, int column, int type, AbstractSession session)
                throws SQLException {
            return type == Types.TIMESTAMP ? read(resultSet, column)
                    : super.getObjectFromResultSet(resultSet, column, type, session);
        }
    }

    public static final class PostgreSql extends PostgreSQLPlatform {

        private static final long serialVersionUID = 1L;

        /** Never: the optimised conversion reads timestamps in the JVM's zone. */
        @Override
        public boolean shouldOptimizeDataConversion() {
            return false;
        }

        @Override
        public void setParameterValueInDatabaseCall(Object parameter, PreparedStatement statement, int index,
                AbstractSession session) throws SQLException {
            if (!bind(parameter, statement, index)) {
                super.setParameterValueInDatabaseCall(parameter, statement, index, session);
            }
        }

        @Override
        public Object getObjectFromResultSet(ResultSet resultSet, int column, int type, AbstractSession session)
                throws SQLException {
            return type == Types.TIMESTAMP ? read(resultSet, column)
                    : super.getObjectFromResultSet(resultSet, column, type, session);
        }
    }

    public static final class MariaDb extends MariaDBPlatform {

        private static final long serialVersionUID = 1L;

        /** Never: the optimised conversion reads timestamps in the JVM's zone. */
        @Override
        public boolean shouldOptimizeDataConversion() {
            return false;
        }

        @Override
        public void setParameterValueInDatabaseCall(Object parameter, PreparedStatement statement, int index,
                AbstractSession session) throws SQLException {
            if (!bind(parameter, statement, index)) {
                super.setParameterValueInDatabaseCall(parameter, statement, index, session);
            }
        }

        @Override
        public Object getObjectFromResultSet(ResultSet resultSet, int column, int type, AbstractSession session)
                throws SQLException {
            return type == Types.TIMESTAMP ? read(resultSet, column)
                    : super.getObjectFromResultSet(resultSet, column, type, session);
        }
    }
}
