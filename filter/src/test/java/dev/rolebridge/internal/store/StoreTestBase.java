package dev.rolebridge.internal.store;

import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.sync.LoginIdentity;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The persistence suite: every subclass runs once per database selected with
 * {@code -Drolebridge.test.databases} (see {@link TestDatabase}). Tests share one store per database and
 * keep apart through names made unique by {@link #name(String)}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.rolebridge.internal.store.TestDatabase#selected")
abstract class StoreTestBase {

    private static final AtomicInteger TESTS = new AtomicInteger();

    @Parameter
    TestDatabase database;

    /** The database's shared store, seeded with {@link StoreFixtures#CONFIG}. */
    MembershipStore store;

    private String prefix;

    @BeforeEach
    void openSharedStore() {
        store = database.sharedStore();
        prefix = "t" + TESTS.incrementAndGet() + "-";
    }

    /** {@code name}, made unique to this test. */
    String name(String name) {
        return prefix + name;
    }

    /** A login of this test's user {@code subject}. */
    LoginIdentity login(String subject, List<String> groups) {
        return StoreFixtures.login(name(subject), groups);
    }

    MembershipStore.SyncRecord sync(LoginIdentity login) {
        return StoreFixtures.sync(store, StoreFixtures.CONFIG, login);
    }

    MembershipStore.SyncRecord sync(MappingConfig config, LoginIdentity login) {
        return StoreFixtures.sync(store, config, login);
    }

    StoredUser user(LoginIdentity login) {
        return store.findUser(login.issuer(), login.subject()).orElseThrow();
    }
}
