package dev.rolebridge.internal.store;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Keeps a time as the number of microseconds since 1970-01-01T00:00:00Z in a {@code BIGINT} column: the
 * store's times reach the table and come back exactly, to the microsecond, whatever the JVM's time zone,
 * on every JPA provider and database. A {@code TIMESTAMP} column would not do: EclipseLink binds and reads
 * date-time values through {@code java.sql.Timestamp} in the JVM's zone, which moves every time that falls in
 * a daylight-saving gap of that zone, and MariaDB's driver reads a {@code DATETIME} through that zone too.
 * Finer than microseconds is cut off (towards the past), as the tables always kept it.
 */
final class UtcMicros {

    private UtcMicros() {}

    /** The microseconds since the epoch of {@code time}. */
    static long of(Instant time) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, time.truncatedTo(ChronoUnit.MICROS));
    }

    /** The time of a number of microseconds since the epoch. */
    static Instant at(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /**
     * The converter the entities name. Public with a public constructor, as the JPA provider instantiates it
     * by reflection; out of reach of applications all the same, inside this package-private class.
     */
    @Converter
    public static final class AsMicros implements AttributeConverter<Instant, Long> {

        public AsMicros() {}

        @Override
        public Long convertToDatabaseColumn(Instant time) {
            return time == null ? null : of(time);
        }

        @Override
        public Instant convertToEntityAttribute(Long micros) {
            return micros == null ? null : at(micros);
        }
    }
}
