package dev.rolebridge.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration {@code V4}: every time column ({@code TIMESTAMP(6)}, on MariaDB {@code DATETIME(6)}, holding the
 * UTC date and time) becomes a {@code BIGINT} of microseconds since 1970-01-01T00:00:00Z, read and written
 * through {@link UtcMicros}. Existing rows are converted in the database, without passing through Java's
 * time zones, so every value stays exact. Written in Java because each database spells the conversion, the
 * column rename and {@code NOT NULL} differently; registered with Flyway by {@link StoreUnit#migrate}.
 */
final class TimesInUtcMicros implements JavaMigration {

    /** Table, column, whether the column is {@code NOT NULL}; the index on a column is dropped and rebuilt. */
    private static final String[][] COLUMNS = {
        {"RB_GROUP", "CREATED_AT", "NOT NULL"},
        {"RB_USER", "CREATED_AT", "NOT NULL"},
        {"RB_USER", "LAST_LOGIN", "NULL"},
        {"RB_MEMBERSHIP", "CREATED_AT", "NOT NULL"},
        {"RB_AUDIT_EVENT", "EVENT_TIME", "NOT NULL"},
        {"RB_LOGOUT_EVENT", "LOGGED_OUT_AT", "NOT NULL"},
    };

    private final Database.Vendor vendor;

    TimesInUtcMicros(Database.Vendor vendor) {
        this.vendor = vendor;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("4");
    }

    @Override
    public String getDescription() {
        return "times in UTC microseconds";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute(dropIndex("RB_LOGOUT_EVENT_TIME_IX", "RB_LOGOUT_EVENT"));
            for (String[] column : COLUMNS) {
                for (String sql : convert(column[0], column[1], column[2])) {
                    statement.execute(sql);
                }
            }
            statement.execute("CREATE INDEX RB_LOGOUT_EVENT_TIME_IX ON RB_LOGOUT_EVENT (LOGGED_OUT_AT)");
        }
    }

    /** The statements that turn one UTC date-time column into microseconds, keeping its name and nullability. */
    List<String> convert(String table, String column, String nullability) {
        String micros = column + "_US";
        List<String> sql = new ArrayList<>();
        sql.add("ALTER TABLE " + table + " ADD COLUMN " + micros + " BIGINT");
        sql.add("UPDATE " + table + " SET " + micros + " = " + microsOf(column));
        sql.add("ALTER TABLE " + table + " DROP COLUMN " + column);
        switch (vendor) {
            case H2 -> sql.add("ALTER TABLE " + table + " ALTER COLUMN " + micros + " RENAME TO " + column);
            case POSTGRESQL -> sql.add("ALTER TABLE " + table + " RENAME COLUMN " + micros + " TO " + column);
            // CHANGE, not RENAME COLUMN, which MariaDB has only since 10.5
            case MARIADB ->
                sql.add("ALTER TABLE " + table + " CHANGE " + micros + " " + column + " BIGINT " + nullability);
        }
        if (vendor != Database.Vendor.MARIADB && nullability.equals("NOT NULL")) {
            sql.add("ALTER TABLE " + table + " ALTER COLUMN " + column + " SET NOT NULL");
        }
        return sql;
    }

    /** The microseconds since 1970-01-01 00:00:00 of a UTC date-time column, computed by the database. */
    private String microsOf(String column) {
        return switch (vendor) {
            case H2 -> "DATEDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', " + column + ")";
            // EXTRACT(EPOCH ...) of a TIMESTAMP without time zone: its seconds since 1970 as written, exact (numeric)
            case POSTGRESQL -> "CAST(EXTRACT(EPOCH FROM " + column + ") * 1000000 AS BIGINT)";
            case MARIADB -> "TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', " + column + ")";
        };
    }

    private String dropIndex(String index, String table) {
        return vendor == Database.Vendor.MARIADB ? "DROP INDEX " + index + " ON " + table : "DROP INDEX " + index;
    }
}
