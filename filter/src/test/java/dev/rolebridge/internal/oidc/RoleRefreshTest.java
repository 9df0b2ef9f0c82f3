package dev.rolebridge.internal.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.sync.DefaultSyncHook.Standing;
import dev.rolebridge.sync.SyncResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A session's look at the store: never between two intervals, one version comparison per interval, and the
 * groups read again only when the version changed.
 */
class RoleRefreshTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final RolebridgePrincipal AT_LOGIN =
            new RolebridgePrincipal("kim", "https://idp", "kim-sub", Set.of("admin"), Set.of("admin"), "admin");

    private final TestClock clock = new TestClock();
    private final List<String> looks = new ArrayList<>();
    private long storedVersion = 7;
    private boolean active = true;
    private SyncResult storedRoles = SyncResult.builder()
            .groups(List.of("ops"))
            .roles(List.of("end-user"))
            .primaryRole("end-user")
            .build();

    private Optional<Standing> look(String issuer, String subject, long knownVersion, boolean reload) {
        looks.add(subject + "@" + knownVersion + (reload ? " reload" : ""));
        boolean changed = reload && active && knownVersion != storedVersion;
        return Optional.of(new Standing(storedVersion, active, changed ? storedRoles : null));
    }

    private RoleRefresh refresh(boolean rolesFollowStore) {
        return new RoleRefresh(this::look, MappingConfig.defaults(), rolesFollowStore, INTERVAL, clock);
    }

    private FakeHttp.Session signedIn(RoleRefresh refresh) {
        FakeHttp.Session session = new FakeHttp.Session(clock.millis());
        refresh.signedIn(session.proxy, AT_LOGIN, 7);
        return session;
    }

    @Test
    void requestsBetweenTwoLooksNeverAskTheStore() {
        RoleRefresh refresh = refresh(true);
        FakeHttp.Session session = signedIn(refresh);

        for (int i = 0; i < 1000; i++) {
            assertThat(refresh.refresh(session.proxy)).isTrue();
            clock.advance(Duration.ofMillis(50));
        }

        assertThat(looks).isEmpty();
        assertThat(refresh.current(session.proxy, AT_LOGIN)).isSameAs(AT_LOGIN);
    }

    @Test
    void onceTheIntervalPassedOneLookComparesTheVersionAndAnUnchangedOneKeepsThePrincipal() {
        RoleRefresh refresh = refresh(true);
        FakeHttp.Session session = signedIn(refresh);
        clock.advance(INTERVAL);

        refresh.refresh(session.proxy);
        refresh.refresh(session.proxy);

        assertThat(looks).containsExactly("kim-sub@7 reload");
        assertThat(refresh.current(session.proxy, AT_LOGIN)).isEqualTo(AT_LOGIN);
    }

    @Test
    void aChangedVersionGivesTheSessionTheStoredGroupsAndRoles() {
        RoleRefresh refresh = refresh(true);
        FakeHttp.Session session = signedIn(refresh);
        storedVersion = 8;
        clock.advance(INTERVAL);

        refresh.refresh(session.proxy);

        RolebridgePrincipal current = refresh.current(session.proxy, AT_LOGIN);
        assertThat(current.getName()).isEqualTo("kim");
        assertThat(current.groups()).containsExactly("ops");
        assertThat(current.roles()).as("groupsAsRoles").containsExactlyInAnyOrder("end-user", "ops");
        assertThat(current.primaryRole()).isEqualTo("end-user");
        clock.advance(INTERVAL);
        refresh.refresh(session.proxy);
        assertThat(looks).as("the next look knows version 8").containsExactly("kim-sub@7 reload", "kim-sub@8 reload");
    }

    @Test
    void aDeactivatedUsersSessionEndsAtTheNextLook() {
        RoleRefresh refresh = refresh(true);
        FakeHttp.Session session = signedIn(refresh);
        active = false;

        assertThat(refresh.refresh(session.proxy))
                .as("not yet: before the interval")
                .isTrue();
        clock.advance(INTERVAL);

        assertThat(refresh.refresh(session.proxy)).isFalse();
        assertThat(session.invalid).isTrue();
    }

    @Test
    void aSessionMadeDueLooksAtItsNextRequest() {
        RoleRefresh refresh = refresh(true);
        FakeHttp.Session session = signedIn(refresh);
        storedVersion = 8;

        RoleRefresh.due(session.proxy);
        refresh.refresh(session.proxy);

        assertThat(looks).containsExactly("kim-sub@7 reload");
        assertThat(refresh.current(session.proxy, AT_LOGIN).roles()).doesNotContain("admin");
    }

    @Test
    void withACustomHookOnlyTheActiveFlagIsCheckedAndTheHooksRolesStay() {
        RoleRefresh refresh = refresh(false);
        FakeHttp.Session session = signedIn(refresh);
        storedVersion = 8;
        clock.advance(INTERVAL);

        assertThat(refresh.refresh(session.proxy)).isTrue();

        assertThat(looks).containsExactly("kim-sub@7");
        assertThat(refresh.current(session.proxy, AT_LOGIN)).isEqualTo(AT_LOGIN);
        active = false;
        clock.advance(INTERVAL);
        assertThat(refresh.refresh(session.proxy)).isFalse();
    }

    @Test
    void whenTheStoreCannotBeReadTheSessionKeepsItsRolesAndLooksAgainAnIntervalLater() {
        RoleRefresh refresh = new RoleRefresh(
                (issuer, subject, known, reload) -> {
                    looks.add("failed");
                    throw new IllegalStateException("database down");
                },
                MappingConfig.defaults(),
                true,
                INTERVAL,
                clock);
        FakeHttp.Session session = signedIn(refresh);
        clock.advance(INTERVAL);

        assertThat(refresh.refresh(session.proxy)).isTrue();
        assertThat(refresh.refresh(session.proxy)).isTrue();

        assertThat(looks).containsExactly("failed");
        assertThat(refresh.current(session.proxy, AT_LOGIN)).isEqualTo(AT_LOGIN);
    }

    @Test
    void anIntervalOfZeroNeverLooks() {
        RoleRefresh refresh = new RoleRefresh(this::look, MappingConfig.defaults(), true, Duration.ZERO, clock);
        FakeHttp.Session session = signedIn(refresh);
        clock.advance(INTERVAL);

        assertThat(refresh.refresh(session.proxy)).isTrue();

        assertThat(looks).isEmpty();
        assertThat(upToDate(refresh, session))
                .as("the sign-in's state is kept and never due: the fast path answers")
                .isEqualTo(AT_LOGIN);
        RoleRefresh.due(session.proxy); // a change this node made: nothing to look at with refreshing off
        assertThat(upToDate(refresh, session)).isEqualTo(AT_LOGIN);
    }

    @Test
    void theFastPathAnswersUntilTheIntervalIsOverAndAfterAChangeThisNodeMadeItDoesNot() {
        RoleRefresh refresh = refresh(true);
        FakeHttp.Session session = signedIn(refresh);
        clock.advance(INTERVAL.minusMillis(1));
        assertThat(upToDate(refresh, session)).isEqualTo(AT_LOGIN);
        clock.advance(Duration.ofMillis(1));
        assertThat(upToDate(refresh, session)).as("time to look at the store").isNull();

        FakeHttp.Session other = signedIn(refresh);
        RoleRefresh.due(other.proxy);
        assertThat(upToDate(refresh, other)).isNull();
        assertThat(looks).as("the fast path reads nothing").isEmpty();
    }

    @Test
    void aSessionSignedInWithoutStateIsGivenOneSoThatItsNextRequestIsFast() {
        RoleRefresh refresh = new RoleRefresh(this::look, MappingConfig.defaults(), true, Duration.ZERO, clock);
        FakeHttp.Session session = new FakeHttp.Session(clock.millis());
        assertThat(upToDate(refresh, session)).isNull();

        assertThat(refresh.current(session.proxy, AT_LOGIN)).isEqualTo(AT_LOGIN);
        assertThat(upToDate(refresh, session)).isEqualTo(AT_LOGIN);
    }

    private RolebridgePrincipal upToDate(RoleRefresh refresh, FakeHttp.Session session) {
        RoleRefresh.Fresh fresh = refresh.upToDate(session.proxy, clock.millis());
        return fresh == null ? null : fresh.principal();
    }
}
