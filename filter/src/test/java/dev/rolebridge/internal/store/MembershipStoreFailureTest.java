package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingOutcome;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database fails in the middle of a login: the login fails with a clear message, nothing of it is
 * kept, and the next login works without reopening the store. State is checked with the shared store,
 * which does not go through the failing connections.
 */
class MembershipStoreFailureTest extends StoreTestBase {

    private final RecordingDataSource outage = new RecordingDataSource();
    private MembershipStore failing;

    @BeforeEach
    void openStoreOnFailingDatabase() {
        failing = MembershipStore.open(database.settings(), outage::wrap);
    }

    @AfterEach
    void closeStore() {
        failing.close();
    }

    @Test
    void syncWhenDatabaseFailsAtAnyStatementOfAChangingLoginThenNothingIsStoredAndTheNextLoginSucceeds() {
        String a = name("a");
        String b = name("b");
        String c = name("c");
        store.createGroup(a, null);
        store.createGroup(b, null);
        store.createGroup(c, "builder");
        LoginIdentity before = login("ursula", List.of(a, b));
        StoreFixtures.sync(failing, StoreFixtures.CONFIG, before);
        StoredUser stored = user(before);
        int events = store.auditEvents(before.issuer(), before.subject()).size();
        LoginIdentity changing = login("ursula", List.of(a, c));

        int failures = failAtEveryStatementUntilTheLoginSucceeds(changing, () -> {
            assertThat(user(before)).isEqualTo(stored);
            assertThat(store.auditEvents(before.issuer(), before.subject())).hasSize(events);
        });

        assertThat(failures)
                .as("statements of the login that were made to fail")
                .isGreaterThanOrEqualTo(6);
        assertThat(user(before).groups()).containsExactlyInAnyOrder(a, c);
        assertThat(user(before).primaryRole()).isEqualTo("builder");
        assertThat(store.auditEvents(before.issuer(), before.subject())).hasSize(events + 1);
    }

    @Test
    void syncWhenDatabaseFailsAtAnyStatementOfAFirstLoginThenNoUserIsCreatedAndTheNextLoginSucceeds() {
        String a = name("a");
        store.createGroup(a, null);
        LoginIdentity login = login("victor", List.of(a, "builder"));

        int failures = failAtEveryStatementUntilTheLoginSucceeds(login, () -> {
            assertThat(store.findUser(login.issuer(), login.subject())).isEmpty();
            assertThat(database.count("SELECT COUNT(*) FROM RB_USER WHERE SUBJECT = ?", login.subject()))
                    .isZero();
        });

        assertThat(failures).isGreaterThanOrEqualTo(4);
        assertThat(user(login).groups()).containsExactlyInAnyOrder(a, "builder");
    }

    @Test
    void syncWhenConnectionIsLostWhileTheLoginIsDecidedThenNothingIsStoredAndTheNextLoginSucceeds() {
        String a = name("a");
        String b = name("b");
        store.createGroup(a, null);
        store.createGroup(b, null);
        LoginIdentity first = login("wendy", List.of(a));
        StoreFixtures.sync(failing, StoreFixtures.CONFIG, first);
        StoredUser stored = user(first);
        LoginIdentity next = login("wendy", List.of(b));
        GroupMapper mapper = new GroupMapper(StoreFixtures.CONFIG);

        assertThatThrownBy(() -> failing.sync(next, snapshot -> {
                    MappingOutcome outcome = mapper.map(next, snapshot.appGroups(), snapshot.user());
                    outage.sever();
                    return outcome;
                }))
                .isInstanceOf(MembershipSyncException.class)
                .hasMessageContaining("Could not record the login of subject '" + next.subject() + "'")
                .hasMessageContaining("Nothing of it was stored");

        assertThat(user(first)).isEqualTo(stored);
        StoreFixtures.sync(failing, StoreFixtures.CONFIG, next);
        assertThat(user(first).groups()).containsExactlyInAnyOrder(b, "end-users");
    }

    @Test
    void readsWhenDatabaseIsDownFailWithAClearMessageAndWorkOnceItIsBack() {
        LoginIdentity login = login("xena", List.of("builder"));
        StoreFixtures.sync(failing, StoreFixtures.CONFIG, login);
        outage.failAfter(0);

        assertThatThrownBy(() -> failing.findUser(login.issuer(), login.subject()))
                .isInstanceOf(MembershipStoreException.class)
                .hasMessageContaining("simulated outage");

        outage.heal();
        assertThat(failing.findUser(login.issuer(), login.subject()))
                .map(StoredUser::primaryRole)
                .contains("builder");
    }

    /**
     * Syncs {@code login} again and again, the database failing at the first statement, then the second, and
     * so on, checking after each failure that nothing changed, until the login runs through. Returns the
     * number of failed attempts.
     */
    private int failAtEveryStatementUntilTheLoginSucceeds(LoginIdentity login, Runnable unchanged) {
        for (int statements = 0; statements < 100; statements++) {
            outage.failAfter(statements);
            Optional<MembershipSyncException> failure;
            try {
                StoreFixtures.sync(failing, StoreFixtures.CONFIG, login);
                failure = Optional.empty();
            } catch (MembershipSyncException e) {
                failure = Optional.of(e);
            } finally {
                outage.heal();
            }
            if (failure.isEmpty()) {
                return statements;
            }
            assertThat(failure.get())
                    .hasMessageContaining("simulated outage")
                    .hasMessageContaining("Nothing of it was stored");
            unchanged.run();
        }
        return fail("the login never succeeded");
    }
}
