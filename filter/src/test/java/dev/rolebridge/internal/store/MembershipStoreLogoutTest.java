package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Back-channel logouts shared through the database: the node that receives a logout token records it,
 * every node lists it, and a replayed token is recognised whichever node receives it. The shared store is
 * one node, {@link #otherNode} a second store opened on the same database. Listing and deleting look at
 * every logout in the table, so each test starts with none (the suite runs one test at a time).
 */
class MembershipStoreLogoutTest extends StoreTestBase {

    /**
     * With microseconds, and in the hour that does not exist in Central Europe that day (02:30 UTC read as
     * local time): a time converted through the JVM's zone on the way would come back different.
     */
    private static final Instant T = Instant.parse("2026-03-29T02:30:00.123456Z");

    private MembershipStore otherNode;
    private String issuer;

    @BeforeEach
    void startWithNoLogoutRecorded() {
        database.execute("DELETE FROM RB_LOGOUT_EVENT");
        issuer = "https://" + name("idp") + ".example.com";
    }

    @AfterEach
    void closeOtherNode() {
        if (otherNode != null) {
            otherNode.close();
        }
    }

    @Test
    void recordLogoutThenEveryNodeListsItWithItsExactTime() {
        boolean recorded = store.recordLogout(issuer, "alice", "session-1", "jti-1", T);
        store.recordLogout(issuer, "bob", null, "jti-2", T.plusSeconds(1));
        store.recordLogout(issuer, null, "session-3", "jti-3", T.plusSeconds(2));

        List<LogoutEvent> expected = List.of(
                new LogoutEvent(issuer, "alice", "session-1", T),
                new LogoutEvent(issuer, "bob", null, T.plusSeconds(1)),
                new LogoutEvent(issuer, null, "session-3", T.plusSeconds(2)));
        assertThat(recorded).isTrue();
        assertThat(store.logoutsSince(T.minusSeconds(1), 10)).isEqualTo(expected);
        assertThat(otherNode().logoutsSince(T.minusSeconds(1), 10)).isEqualTo(expected);
        assertThat(database.count("SELECT COUNT(*) FROM RB_LOGOUT_EVENT WHERE ISSUER = ?", issuer))
                .isEqualTo(3);
    }

    /**
     * Regression: EclipseLink passed times through the JVM's time zone, which moved those in its
     * daylight-saving gap by an hour, on the way in and (MariaDB) on the way out.
     */
    @Test
    void recordLogoutKeepsTheUtcTimeExactWhenItFallsInADaylightSavingGapOfTheJvmsTimeZone() {
        TimeZone jvm = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
        try {
            store.recordLogout(issuer, "alice", null, "jti-1", T);

            // the column holds microseconds since 1970 UTC (UtcMicros): 2026-03-29T02:30:00.123456Z exactly
            assertThat(database.count(
                            "SELECT COUNT(*) FROM RB_LOGOUT_EVENT WHERE ISSUER = ?"
                                    + " AND LOGGED_OUT_AT = 1774751400123456",
                            issuer))
                    .isEqualTo(1);
            assertThat(store.logoutsSince(T.minus(1, ChronoUnit.MICROS), 10))
                    .containsExactly(new LogoutEvent(issuer, "alice", null, T));
            assertThat(store.logoutsSince(T, 10)).isEmpty();
        } finally {
            TimeZone.setDefault(jvm);
        }
    }

    @Test
    void recordLogoutWhenTheSameTokenArrivesAgainThenFalseAndNothingIsAdded() {
        store.recordLogout(issuer, "alice", "session-1", "jti-1", T);

        boolean replay = store.recordLogout(issuer, "alice", "session-1", "jti-1", T.plusSeconds(5));

        assertThat(replay).isFalse();
        assertThat(countToken("jti-1")).isEqualTo(1);
        assertThat(store.logoutsSince(T.minusSeconds(1), 10))
                .containsExactly(new LogoutEvent(issuer, "alice", "session-1", T));
    }

    @Test
    void recordLogoutWhenAnotherNodeRecordedTheTokenThenFalseAndNothingIsAdded() {
        otherNode().recordLogout(issuer, "alice", null, "jti-1", T);

        boolean replay = store.recordLogout(issuer, "alice", null, "jti-1", T.plusSeconds(5));

        assertThat(replay).isFalse();
        assertThat(countToken("jti-1")).isEqualTo(1);
        assertThat(store.logoutsSince(T.minusSeconds(1), 10))
                .containsExactly(new LogoutEvent(issuer, "alice", null, T));
    }

    /**
     * The other node commits the same token after this one found no row and before its insert: the unique
     * key refuses the insert, and that duplicate key means a replay, not a failure.
     */
    @Test
    void recordLogoutWhenAnotherNodeRecordsTheTokenMeanwhileThenFalseAndNothingIsAdded() {
        RecordingDataSource interleaving = new RecordingDataSource();
        otherNode = MembershipStore.open(database.settings(), interleaving::wrap);
        interleaving.beforeFirst(
                "INSERT INTO RB_LOGOUT_EVENT",
                () -> assertThat(store.recordLogout(issuer, "alice", "first", "jti-1", T))
                        .isTrue());

        boolean replay = otherNode.recordLogout(issuer, "alice", "second", "jti-1", T.plusSeconds(1));

        assertThat(replay).isFalse();
        assertThat(interleaving.sql())
                .as("the insert that met the duplicate key")
                .filteredOn(sql -> sql.contains("INSERT INTO RB_LOGOUT_EVENT"))
                .hasSize(1);
        assertThat(countToken("jti-1")).isEqualTo(1);
        assertThat(store.logoutsSince(T.minusSeconds(1), 10))
                .containsExactly(new LogoutEvent(issuer, "alice", "first", T));
    }

    @Test
    void recordLogoutWhenAnotherIssuerUsedTheSameJtiThenItIsAnotherLogout() {
        String otherIssuer = "https://" + name("other-idp") + ".example.com";
        store.recordLogout(otherIssuer, "alice", null, "jti-1", T);

        boolean recorded = store.recordLogout(issuer, "alice", null, "jti-1", T);

        assertThat(recorded).isTrue();
        assertThat(store.logoutsSince(T.minusSeconds(1), 10))
                .extracting(LogoutEvent::issuer)
                .containsExactlyInAnyOrder(otherIssuer, issuer);
    }

    @Test
    void recordLogoutWhenTheTokenNamesNeitherSubjectNorSessionThenRefusedAndNothingIsRecorded() {
        assertThatThrownBy(() -> store.recordLogout(issuer, null, null, "jti-1", T))
                .isInstanceOf(MembershipStoreException.class)
                .hasMessageContaining("names neither");

        assertThat(countToken("jti-1")).isZero();
    }

    @Test
    void recordLogoutWhenTheJtiIsWiderThanTheColumnThenRefusedAndNothingIsRecorded() {
        String wide = "j".repeat(MembershipStore.MAX_LOGOUT_CLAIM_LENGTH + 1);

        assertThatThrownBy(() -> store.recordLogout(issuer, "alice", null, wide, T))
                .isInstanceOf(MembershipStoreException.class)
                .hasMessageContaining("jti")
                .hasMessageContaining("256");

        assertThat(store.recordLogout(issuer, "alice", null, wide.substring(1), T))
                .isTrue();
        assertThat(countToken(wide.substring(1))).isEqualTo(1);
        assertThat(database.count("SELECT COUNT(*) FROM RB_LOGOUT_EVENT")).isEqualTo(1);
    }

    @Test
    void logoutsSinceListsOnlyLogoutsStrictlyAfterSinceOldestFirst() {
        store.recordLogout(issuer, "d", null, "jti-d", T.plusSeconds(3));
        store.recordLogout(issuer, "a", null, "jti-a", T);
        otherNode().recordLogout(issuer, "c", null, "jti-c", T.plusSeconds(2));
        store.recordLogout(issuer, "b", null, "jti-b", T.plusSeconds(1));
        store.recordLogout(issuer, "b2", null, "jti-b2", T.plusSeconds(1).plus(1, ChronoUnit.MICROS));

        List<LogoutEvent> after = store.logoutsSince(T.plusSeconds(1), 10);

        assertThat(after).extracting(LogoutEvent::subject).containsExactly("b2", "c", "d");
        assertThat(after)
                .extracting(LogoutEvent::at)
                .containsExactly(T.plusSeconds(1).plus(1, ChronoUnit.MICROS), T.plusSeconds(2), T.plusSeconds(3));
        assertThat(store.logoutsSince(T.plusSeconds(3), 10)).isEmpty();
        assertThat(store.logoutsSince(T.minus(1, ChronoUnit.MICROS), 10))
                .extracting(LogoutEvent::subject)
                .containsExactly("a", "b", "b2", "c", "d");
    }

    @Test
    void logoutsSinceReturnsAtMostLimitOldestFirstSoANodeCanPageThroughThem() {
        for (int i = 4; i >= 0; i--) {
            store.recordLogout(issuer, "user" + i, null, "jti-" + i, T.plusSeconds(i));
        }

        List<LogoutEvent> first = store.logoutsSince(T.minusSeconds(1), 2);
        List<LogoutEvent> second =
                store.logoutsSince(first.get(first.size() - 1).at(), 2);
        List<LogoutEvent> third =
                store.logoutsSince(second.get(second.size() - 1).at(), 2);

        assertThat(first).extracting(LogoutEvent::subject).containsExactly("user0", "user1");
        assertThat(second).extracting(LogoutEvent::subject).containsExactly("user2", "user3");
        assertThat(third).extracting(LogoutEvent::subject).containsExactly("user4");
        assertThatThrownBy(() -> store.logoutsSince(T, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit is 0");
    }

    @Test
    void logoutsAfterFollowTheDatabasesOrderAcrossNodesWhateverTheirClocks() {
        store.recordLogout(issuer, "a", null, "jti-a", T.plusSeconds(10));
        otherNode().recordLogout(issuer, "b", null, "jti-b", T.minus(1, ChronoUnit.HOURS)); // a clock an hour behind
        store.recordLogout(issuer, "c", null, "jti-c", T.plusSeconds(11));
        otherNode().recordLogout(issuer, "d", "sid-d", "jti-d", T.minus(2, ChronoUnit.HOURS));

        List<RecordedLogout> all = store.logoutsAfter(0, 10);

        assertThat(all).extracting(r -> r.logout().subject()).containsExactly("a", "b", "c", "d");
        assertThat(all).extracting(RecordedLogout::id).isSorted().doesNotHaveDuplicates();
        assertThat(otherNode().logoutsAfter(all.get(0).id(), 10))
                .extracting(r -> r.logout().subject())
                .as("seen from the first logout on, the later ones follow, however early their times")
                .containsExactly("b", "c", "d");
        assertThat(store.logoutsAfter(all.get(3).id(), 10)).isEmpty();
        assertThat(store.logoutsAfter(0, 2))
                .extracting(r -> r.logout().subject())
                .containsExactly("a", "b");
    }

    @Test
    void deleteLogoutsBeforeDeletesOnlyOlderLogoutsAndCountsThem() {
        store.recordLogout(issuer, "a", null, "jti-a", T.minus(1, ChronoUnit.MICROS));
        store.recordLogout(issuer, "b", null, "jti-b", T.minus(1, ChronoUnit.DAYS));
        store.recordLogout(issuer, "c", null, "jti-c", T);
        store.recordLogout(issuer, "d", null, "jti-d", T.plusSeconds(1));

        int deleted = otherNode().deleteLogoutsBefore(T);

        assertThat(deleted).isEqualTo(2);
        assertThat(store.logoutsSince(T.minus(2, ChronoUnit.DAYS), 10))
                .extracting(LogoutEvent::subject)
                .containsExactly("c", "d");
        assertThat(store.deleteLogoutsBefore(T)).isZero();
    }

    @Test
    void deleteLogoutsBeforeForgetsTheTokensSoTheyAreNoLongerReplays() {
        store.recordLogout(issuer, "a", null, "jti-a", T);
        store.deleteLogoutsBefore(T.plusSeconds(1));

        assertThat(store.recordLogout(issuer, "a", null, "jti-a", T.plusSeconds(2)))
                .isTrue();
        assertThat(countToken("jti-a")).isEqualTo(1);
    }

    private MembershipStore otherNode() {
        if (otherNode == null) {
            otherNode = MembershipStore.open(database.settings());
        }
        return otherNode;
    }

    private long countToken(String jti) {
        return database.count("SELECT COUNT(*) FROM RB_LOGOUT_EVENT WHERE ISSUER = ? AND JTI = ?", issuer, jti);
    }
}
