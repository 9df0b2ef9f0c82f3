package dev.rolebridge.internal.store;

import static dev.rolebridge.internal.store.MembershipSource.OIDC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.store.MembershipStore.SyncRecord;
import dev.rolebridge.internal.store.StoredUser.Membership;
import dev.rolebridge.sync.LoginIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Logins that race each other end with one consistent state, and every one of them succeeds. */
class MembershipStoreConcurrencyTest extends StoreTestBase {

    private static final int LOGINS = 20;

    @Test
    void twentyParallelFirstLoginsOfOneNewUserCreateOneUserAndAllSucceed() throws Exception {
        String a = name("a");
        String b = name("b");
        store.createGroup(a, "builder");
        store.createGroup(b, null);
        LoginIdentity login = login("zoe", List.of(a, b));

        List<SyncRecord> records = race(i -> () -> sync(login));

        assertThat(records)
                .hasSize(LOGINS)
                .extracting(SyncRecord::userId)
                .containsOnly(records.get(0).userId());
        assertThat(records).filteredOn(record -> record.outcome().changed()).hasSize(1);
        assertThat(database.count(
                        "SELECT COUNT(*) FROM RB_USER WHERE ISSUER = ? AND SUBJECT = ?",
                        login.issuer(),
                        login.subject()))
                .isEqualTo(1);
        assertThat(database.count(
                        "SELECT COUNT(*) FROM RB_MEMBERSHIP WHERE USER_ID = ?",
                        records.get(0).userId()))
                .isEqualTo(2);
        assertThat(user(login).memberships())
                .containsExactlyInAnyOrder(new Membership(a, OIDC), new Membership(b, OIDC));
        assertThat(user(login).primaryRole()).isEqualTo("builder");
        assertThat(store.auditEvents(login.issuer(), login.subject())).hasSize(1);
    }

    @Test
    void parallelLoginsOfDifferentUsersThatCreateTheSameGroupCreateItOnceAndAllSucceed() throws Exception {
        String team = name("new team");
        MappingConfig config = MappingConfig.builder().autoCreateGroups(true).build();

        List<SyncRecord> records = race(i -> () -> sync(config, login("user" + i, List.of(team))));

        assertThat(records).hasSize(LOGINS).extracting(SyncRecord::userId).doesNotHaveDuplicates();
        assertThat(records).allSatisfy(record -> assertThat(record.userGroups()).containsExactly("end-users", team));
        assertThat(database.count("SELECT COUNT(*) FROM RB_GROUP WHERE NAME = ?", team))
                .isEqualTo(1);
    }

    /** Starts {@value #LOGINS} logins at the same instant and waits for all of them. */
    private static List<SyncRecord> race(IntFunction<Callable<SyncRecord>> login) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(LOGINS);
        try {
            CountDownLatch ready = new CountDownLatch(LOGINS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<SyncRecord>> futures = new ArrayList<>();
            for (int i = 0; i < LOGINS; i++) {
                Callable<SyncRecord> work = login.apply(i);
                futures.add(threads.submit(() -> {
                    ready.countDown();
                    start.await();
                    return work.call();
                }));
            }
            ready.await();
            start.countDown();
            List<SyncRecord> records = new ArrayList<>();
            for (Future<SyncRecord> future : futures) {
                records.add(future.get(2, TimeUnit.MINUTES));
            }
            return records;
        } finally {
            threads.shutdownNow();
        }
    }
}
