package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.store.MembershipStore.SyncRecord;
import dev.rolebridge.sync.LoginIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A login diffs, it does not rewrite: the statements a re-login sends do not depend on how many memberships
 * stay as they are. Counted at the JDBC level by {@link RecordingDataSource}; the counts are printed.
 */
class MembershipStoreStatementCountTest extends StoreTestBase {

    /** Lock the user row, read the groups with the user's memberships, update the user (login time). */
    private static final int UNCHANGED_RELOGIN_STATEMENTS = 3;

    @Test
    void reloginWithUnchangedMembershipsSendsTheSameStatementsFor1And50And500Groups() {
        RecordingDataSource recorder = new RecordingDataSource();
        Map<Integer, Integer> firstLogin = new LinkedHashMap<>();
        Map<Integer, Integer> relogin = new LinkedHashMap<>();
        Map<Integer, List<String>> reloginSql = new LinkedHashMap<>();
        try (MembershipStore counted = MembershipStore.open(database.settings(), recorder::wrap)) {
            for (int size : List.of(1, 50, 500)) {
                List<String> groups = createGroups("g" + size, size);
                LoginIdentity login = login("user-of-" + size, groups);

                recorder.reset();
                SyncRecord first = StoreFixtures.sync(counted, StoreFixtures.CONFIG, login);
                firstLogin.put(size, recorder.statements());
                assertThat(recorder.connections()).as("connections per login").isEqualTo(1);
                recorder.reset();
                SyncRecord again = StoreFixtures.sync(counted, StoreFixtures.CONFIG, login);
                relogin.put(size, recorder.statements());
                reloginSql.put(size, recorder.sql());
                assertThat(recorder.connections()).as("connections per login").isEqualTo(1);

                assertThat(first.outcome().toAdd()).hasSize(size + 1); // and the default group
                assertThat(again.outcome().changed()).isFalse();
                assertThat(again.userGroups()).hasSize(size + 1);
            }
        }
        System.out.printf(
                "[%s] SQL statements per login: first login with 1/50/500 groups %s; re-login with"
                        + " 1/50/500 unchanged groups %s%n",
                database, firstLogin.values(), relogin.values());

        assertThat(relogin.values())
                .as("re-login statements by unchanged groups %s, SQL %s", relogin, reloginSql)
                .containsOnly(UNCHANGED_RELOGIN_STATEMENTS);
    }

    @Test
    void aLoginLocksItsUserRowWithTheStatementThatReadsIt() {
        RecordingDataSource recorder = new RecordingDataSource();
        try (MembershipStore counted = MembershipStore.open(database.settings(), recorder::wrap)) {
            LoginIdentity login = login("locked", List.of("builder"));
            StoreFixtures.sync(counted, StoreFixtures.CONFIG, login);
            recorder.reset();
            StoreFixtures.sync(counted, StoreFixtures.CONFIG, login);

            assertThat(recorder.sql().get(0))
                    .as("the first statement of a re-login")
                    .containsIgnoringCase("FROM RB_USER")
                    .containsIgnoringCase("FOR UPDATE");
        }
    }

    @Test
    void firstLoginSendsTheSameStatementsFor1And500GroupsOnceIdsAreAllocated() {
        RecordingDataSource recorder = new RecordingDataSource();
        try (MembershipStore counted = MembershipStore.open(database.settings(), recorder::wrap)) {
            // the first login of a fresh store also fetches blocks of ids for users and audit events
            StoreFixtures.sync(counted, StoreFixtures.CONFIG, login("warm-up", List.of("builder")));
            Map<Integer, Integer> counts = new LinkedHashMap<>();
            for (int size : List.of(1, 500)) {
                List<String> groups = createGroups("f" + size, size);
                recorder.reset();
                StoreFixtures.sync(counted, StoreFixtures.CONFIG, login("first-" + size, groups));
                counts.put(size, recorder.statements());
                assertThat(recorder.batchedRows()).isGreaterThanOrEqualTo(size);
            }
            System.out.printf(
                    "[%s] SQL statements per first login (ids allocated) with 1/500 groups: %s%n",
                    database, counts.values());

            assertThat(counts.get(500)).isEqualTo(counts.get(1));
        }
    }

    @Test
    void reloginWithUnmappedGroupsSendsTwoStatementsMoreFor1And50UnmappedGroups() {
        RecordingDataSource recorder = new RecordingDataSource();
        Map<Integer, Integer> relogin = new LinkedHashMap<>();
        try (MembershipStore counted = MembershipStore.open(database.settings(), recorder::wrap)) {
            for (int size : List.of(1, 50)) {
                List<String> unmapped = IntStream.range(0, size)
                        .mapToObj(i -> name("unmapped" + size + "-" + i))
                        .toList();
                LoginIdentity login = login("unmapped-user-of-" + size, unmapped);
                StoreFixtures.sync(counted, StoreFixtures.CONFIG, login);

                recorder.reset();
                SyncRecord again = StoreFixtures.sync(counted, StoreFixtures.CONFIG, login);
                relogin.put(size, recorder.statements());

                assertThat(again.outcome().unmappedGroups()).hasSize(size);
            }
        }
        // the unchanged re-login's, then: read the user's rows of those names, update their last-seen time
        assertThat(relogin.values()).containsOnly(UNCHANGED_RELOGIN_STATEMENTS + 2);
    }

    /** Creates {@code count} app groups in one transaction: one login that auto-creates them. */
    private List<String> createGroups(String stem, int count) {
        List<String> groups =
                IntStream.range(0, count).mapToObj(i -> name(stem + "-" + i)).toList();
        sync(
                MappingConfig.builder()
                        .autoCreateGroups(true)
                        .maxCreatedGroupsPerLogin(count)
                        .build(),
                login("creator-" + stem, groups));
        return groups;
    }
}
