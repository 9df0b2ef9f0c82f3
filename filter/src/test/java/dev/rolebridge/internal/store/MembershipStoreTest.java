package dev.rolebridge.internal.store;

import static dev.rolebridge.internal.store.MembershipSource.MANUAL;
import static dev.rolebridge.internal.store.MembershipSource.OIDC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.mapping.MappingOutcome;
import dev.rolebridge.internal.mapping.SyncMode;
import dev.rolebridge.internal.store.MembershipStore.Snapshot;
import dev.rolebridge.internal.store.MembershipStore.SyncRecord;
import dev.rolebridge.internal.store.StoredUser.Membership;
import dev.rolebridge.sync.ClaimGroups;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one login stores, on every selected database. */
class MembershipStoreTest extends StoreTestBase {

    @Test
    void syncWhenFirstLoginThenUserAndMembershipsAreCreated() {
        String engineers = name("engineers");
        store.createGroup(engineers, null);
        LoginIdentity login = login("alice", List.of("admin", engineers, name("unknown")));
        Instant before = Instant.now().minusSeconds(1);

        SyncRecord stored = sync(login);

        StoredUser user = user(login);
        assertThat(stored.userId()).isEqualTo(user.id());
        assertThat(stored.userGroups()).containsExactly("admin", engineers);
        assertThat(user.username()).isEqualTo(login.username());
        assertThat(user.email()).isEqualTo(login.email());
        assertThat(user.primaryRole()).isEqualTo("admin");
        assertThat(user.active()).isTrue();
        assertThat(user.lastLogin()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(user.memberships()).containsExactly(new Membership("admin", OIDC), new Membership(engineers, OIDC));
        assertThat(database.count(
                        "SELECT COUNT(*) FROM RB_USER WHERE ISSUER = ? AND SUBJECT = ?",
                        login.issuer(),
                        login.subject()))
                .isEqualTo(1);
    }

    @Test
    void syncWhenUserLogsInAgainThenUsernameEmailAndLastLoginAreUpdatedAndNoSecondUserIsCreated() {
        LoginIdentity first = login("bob", List.of("builder"));
        sync(first);
        Instant firstLogin = user(first).lastLogin();
        LoginIdentity renamed = LoginIdentity.builder(first.issuer(), first.subject(), "robert")
                .email("robert@example.com")
                .groups(first.groups())
                .claims(first.claims())
                .build();

        SyncRecord stored = sync(renamed);

        StoredUser user = user(renamed);
        assertThat(user.id()).isEqualTo(stored.userId());
        assertThat(user.username()).isEqualTo("robert");
        assertThat(user.email()).isEqualTo("robert@example.com");
        assertThat(user.lastLogin()).isAfterOrEqualTo(firstLogin);
        assertThat(stored.outcome().changed()).isFalse();
        assertThat(database.count("SELECT COUNT(*) FROM RB_USER WHERE SUBJECT = ?", first.subject()))
                .isEqualTo(1);
    }

    @Test
    void syncWhenSameSubjectComesFromAnotherIssuerThenItIsAnotherUser() {
        LoginIdentity here = login("carol", List.of("admin"));
        LoginIdentity elsewhere = LoginIdentity.builder("https://other.example.com", here.subject(), "carol")
                .groups(ClaimGroups.of(List.of()))
                .claims(here.claims())
                .build();

        long hereId = sync(here).userId();
        long elsewhereId = sync(elsewhere).userId();

        assertThat(elsewhereId).isNotEqualTo(hereId);
        assertThat(user(here).primaryRole()).isEqualTo("admin");
        assertThat(store.findUser(elsewhere.issuer(), elsewhere.subject())
                        .orElseThrow()
                        .groups())
                .containsExactly("end-users");
    }

    /** The default mapping's decision for {@code login}, keeping each snapshot it was shown in {@code seen}. */
    private static Function<Snapshot, MappingOutcome> recording(LoginIdentity login, List<Snapshot> seen) {
        GroupMapper mapper = new GroupMapper(StoreFixtures.CONFIG);
        return snapshot -> {
            seen.add(snapshot);
            return mapper.map(login, snapshot.appGroups(), snapshot.user());
        };
    }

    @Test
    void syncPassesTheStateBeforeTheLoginToTheDecision() {
        String allApps = name("all apps");
        String manual = name("manual");
        store.createGroup(allApps, "builder");
        store.createGroup(manual, null);
        LoginIdentity login = login("dave", List.of(allApps));
        List<Snapshot> seen = new ArrayList<>();
        Function<Snapshot, MappingOutcome> decide = recording(login, seen);
        store.sync(login, decide);
        store.addManualMembership(login.issuer(), login.subject(), manual);

        store.sync(login, decide);

        assertThat(seen.get(0).firstLogin()).isTrue();
        assertThat(seen.get(0).user().syncedGroups()).isEmpty();
        assertThat(seen.get(0).user().primaryRole()).isNull();
        assertThat(seen.get(0).appGroups())
                .contains(
                        AppGroup.granting("admin", "admin"),
                        AppGroup.granting("builder", "builder"),
                        AppGroup.granting("end-users", "end-user"),
                        AppGroup.granting(allApps, "builder"),
                        AppGroup.of(manual));
        Snapshot second = seen.get(1);
        assertThat(second.firstLogin()).isFalse();
        assertThat(second.user().firstLogin()).isFalse();
        assertThat(second.user().syncedGroups()).containsExactly(allApps);
        assertThat(second.user().otherGroups()).containsExactly(manual);
        assertThat(second.user().primaryRole()).isEqualTo("builder");
    }

    @Test
    void aReloginReadsEachGroupOnceWithAllItsGrantsAndEveryMembershipFromEverySource() {
        String twoRoles = name("two roles");
        String both = name("held twice");
        String manualOnly = name("manual only");
        String notHeld = name("not held");
        store.createGroupGranting(twoRoles, List.of("builder", "admin"));
        store.createGroup(both, "end-user");
        store.createGroup(manualOnly, null);
        store.createGroup(notHeld, "admin");
        LoginIdentity login = login("erin", List.of(twoRoles, both));
        List<Snapshot> seen = new ArrayList<>();
        Function<Snapshot, MappingOutcome> decide = recording(login, seen);
        store.sync(login, decide);
        store.addManualMembership(login.issuer(), login.subject(), both); // the same group from a second source
        store.addManualMembership(login.issuer(), login.subject(), manualOnly);

        MembershipStore.SyncRecord again = store.sync(login, decide);

        Snapshot relogin = seen.get(1);
        assertThat(relogin.appGroups().stream().map(AppGroup::name))
                .as("each group once, whatever its grants and its holders' sources")
                .doesNotHaveDuplicates()
                .contains(twoRoles, both, manualOnly, notHeld);
        assertThat(relogin.appGroups())
                .contains(
                        AppGroup.granting(twoRoles, "admin", "builder"),
                        AppGroup.granting(both, "end-user"),
                        AppGroup.of(manualOnly),
                        AppGroup.granting(notHeld, "admin"));
        assertThat(relogin.appGroups().stream()
                        .filter(g -> g.name().equals(twoRoles))
                        .findFirst()
                        .orElseThrow()
                        .grantedRoles())
                .as("grants in rank order")
                .containsExactly("admin", "builder");
        assertThat(relogin.user().syncedGroups()).containsExactlyInAnyOrder(twoRoles, both);
        assertThat(relogin.user().otherGroups()).containsExactlyInAnyOrder(both, manualOnly);
        assertThat(again.userGroups()).contains(twoRoles, both, manualOnly).doesNotContain(notHeld);
        assertThat(user(login).memberships())
                .as("nothing changed by the re-login")
                .contains(
                        new StoredUser.Membership(both, MembershipSource.OIDC),
                        new StoredUser.Membership(both, MembershipSource.MANUAL),
                        new StoredUser.Membership(manualOnly, MembershipSource.MANUAL));
    }

    @Test
    void syncWhenGroupLeavesTheClaimThenOnlyTheLoginsMembershipIsRemoved() {
        String a = name("a");
        String b = name("b");
        String manual = name("manual");
        List.of(a, b, manual).forEach(group -> store.createGroup(group, null));
        LoginIdentity login = login("erin", List.of(a, b));
        sync(login);
        store.addManualMembership(login.issuer(), login.subject(), manual);
        store.addManualMembership(login.issuer(), login.subject(), a);

        SyncRecord stored = sync(login("erin", List.of()));

        assertThat(stored.outcome().toRemove()).containsExactlyInAnyOrder(a, b);
        assertThat(user(login).memberships())
                .containsExactlyInAnyOrder(
                        new Membership(a, MANUAL), new Membership(manual, MANUAL), new Membership("end-users", OIDC));
        assertThat(stored.userGroups()).containsExactly("end-users", a, manual);
    }

    @Test
    void syncWhenGroupsClaimIsMissingThenMembershipsAreUntouched() {
        String a = name("a");
        store.createGroup(a, null);
        LoginIdentity login = login("frank", List.of(a, "builder"));
        sync(login);
        List<Membership> before = user(login).memberships();

        SyncRecord stored = sync(StoreFixtures.login(login.subject(), ClaimGroups.missing()));

        assertThat(stored.outcome().toAdd()).isEmpty();
        assertThat(stored.outcome().toRemove()).isEmpty();
        assertThat(user(login).memberships()).isEqualTo(before);
        assertThat(user(login).primaryRole()).isEqualTo("builder");
        assertThat(store.auditEvents(login.issuer(), login.subject())).hasSize(1);
    }

    @Test
    void syncWhenOneIdpGroupMapsToSeveralAppGroupsThenUserJoinsEach() {
        String allApps = name("all apps");
        String ops = name("ops");
        store.createGroup(allApps, null);
        store.createGroup(ops, null);
        MappingConfig config = MappingConfig.builder()
                .groupMapping(name("engineers"), allApps, ops)
                .groupRole(allApps, "builder")
                .build();
        LoginIdentity login = login("grace", List.of(name("engineers")));

        sync(config, login);

        assertThat(user(login).groups(OIDC)).containsExactlyInAnyOrder(allApps, ops);
        assertThat(user(login).primaryRole()).isEqualTo("builder");
    }

    @Test
    void syncWhenAutoCreateIsOnThenMissingGroupsAreCreatedOnce() {
        String team = name("new team");
        String reviewers = name("reviewers");
        MappingConfig config = MappingConfig.builder()
                .autoCreateGroups(true)
                .groupRole(reviewers, "builder")
                .build();
        LoginIdentity first = login("heidi", List.of(team, reviewers));

        SyncRecord stored = sync(config, first);
        sync(config, login("ivan", List.of(team)));

        assertThat(stored.outcome().toCreate()).extracting(AppGroup::name).containsExactly(team, reviewers);
        assertThat(user(first).groups(OIDC)).containsExactlyInAnyOrder(team, reviewers);
        assertThat(user(first).primaryRole()).isEqualTo("builder");
        assertThat(user(login("ivan", List.of())).groups(OIDC)).containsExactlyInAnyOrder(team, "end-users");
        assertThat(database.count("SELECT COUNT(*) FROM RB_GROUP WHERE NAME = ? AND ORIGIN = 'LOGIN'", team))
                .isEqualTo(1);
        assertThat(store.auditEvents(first.issuer(), first.subject()).get(0).createdGroups())
                .containsExactly(team, reviewers);
        AtomicReference<List<AppGroup>> groups = new AtomicReference<>();
        GroupMapper mapper = new GroupMapper(config);
        store.sync(first, snapshot -> {
            groups.set(snapshot.appGroups());
            return mapper.map(first, snapshot.appGroups(), snapshot.user());
        });
        assertThat(groups.get()).contains(AppGroup.granting(reviewers, "builder"), AppGroup.of(team));
    }

    @Test
    void syncWhenLoginsWouldCreateMoreGroupsThanMaxCreatedGroupsThenRefusedAndNothingStored() {
        long before = database.count("SELECT COUNT(*) FROM RB_GROUP WHERE ORIGIN = 'LOGIN'");
        int bound = (int) before + 2;
        MappingConfig config = MappingConfig.builder()
                .autoCreateGroups(true)
                .maxCreatedGroups(bound)
                .build();
        GroupMapper mapper = new GroupMapper(config);
        LoginIdentity first = login("kim", List.of(name("one"), name("two")));
        LoginIdentity second = login("lee", List.of(name("three")));

        store.sync(first, s -> mapper.map(first, s.appGroups(), s.user()), config.maxCreatedGroups());

        assertThatThrownBy(() ->
                        store.sync(second, s -> mapper.map(second, s.appGroups(), s.user()), config.maxCreatedGroups()))
                .isInstanceOf(MembershipSyncException.class)
                .hasMessageContaining("more than maxCreatedGroups (" + bound + ")")
                .hasMessageContaining("nothing is stored");
        assertThat(database.count("SELECT COUNT(*) FROM RB_GROUP WHERE ORIGIN = 'LOGIN'"))
                .isEqualTo(bound);
        assertThat(database.count("SELECT COUNT(*) FROM RB_GROUP WHERE NAME = ?", name("three")))
                .isZero();
        assertThat(store.findUser(second.issuer(), second.subject())).isEmpty();
    }

    @Test
    void syncWhenSyncModeIsImportThenOnlyTheFirstLoginChangesMemberships() {
        String a = name("a");
        String b = name("b");
        store.createGroup(a, "builder");
        store.createGroup(b, null);
        MappingConfig config = MappingConfig.builder().syncMode(SyncMode.IMPORT).build();
        LoginIdentity login = login("judy", List.of(a));
        sync(config, login);

        SyncRecord stored = sync(config, login("judy", List.of(b)));

        assertThat(stored.outcome().changed()).isFalse();
        assertThat(user(login).groups(OIDC)).containsExactly(a);
    }

    @Test
    void syncWhenSyncModeIsAddOnlyThenLoginsAddButNeverRemove() {
        String a = name("a");
        String b = name("b");
        store.createGroup(a, "builder");
        store.createGroup(b, null);
        MappingConfig config =
                MappingConfig.builder().syncMode(SyncMode.ADD_ONLY).build();
        LoginIdentity login = login("ken", List.of(a));
        sync(config, login);

        sync(config, login("ken", List.of(b)));
        sync(config, login("ken", List.of()));

        assertThat(user(login).groups(OIDC)).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void syncWhenSomethingChangedThenAnAuditEventRecordsIt() {
        String a = name("a");
        String gone = name("gone");
        store.createGroup(a, null);
        MappingConfig config = MappingConfig.builder().hardcodedGroups(gone).build();
        LoginIdentity login = login("leo", List.of("admin", a));
        Instant before = Instant.now().minusSeconds(1);

        sync(config, login);
        sync(config, login("leo", List.of(a)));
        sync(config, login("leo", List.of(a)));

        List<AuditEvent> events = store.auditEvents(login.issuer(), login.subject());
        assertThat(events).hasSize(2);
        AuditEvent first = events.get(0);
        assertThat(first.actor()).isEqualTo("login");
        assertThat(first.issuer()).isEqualTo(login.issuer());
        assertThat(first.subject()).isEqualTo(login.subject());
        assertThat(first.time()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(first.added()).containsExactly("admin", a);
        assertThat(first.removed()).isEmpty();
        assertThat(first.roleBefore()).isNull();
        assertThat(first.roleAfter()).isEqualTo("admin");
        assertThat(first.rulesFired())
                .containsExactly(
                        "fired: by name: IdP group 'admin' -> app group 'admin'",
                        "fired: by name: IdP group '" + a + "' -> app group '" + a + "'",
                        "skipped: hardcodedGroups -> '" + gone + "' skipped: app group '" + gone + "' does not exist");
        AuditEvent second = events.get(1);
        assertThat(second.time()).isAfterOrEqualTo(first.time());
        assertThat(second.added()).containsExactly("end-users");
        assertThat(second.removed()).containsExactly("admin");
        assertThat(second.roleBefore()).isEqualTo("admin");
        assertThat(second.roleAfter()).isEqualTo("end-user");
    }

    @Test
    void addManualMembershipRecordsAnAdminAuditEventAndIsIdempotent() {
        String manual = name("manual");
        store.createGroup(manual, null);
        LoginIdentity login = login("mia", List.of("builder"));
        sync(login);

        store.addManualMembership(login.issuer(), login.subject(), manual);
        store.addManualMembership(login.issuer(), login.subject(), manual);

        assertThat(user(login).memberships())
                .containsExactlyInAnyOrder(new Membership("builder", OIDC), new Membership(manual, MANUAL));
        List<AuditEvent> events = store.auditEvents(login.issuer(), login.subject());
        assertThat(events).hasSize(2);
        assertThat(events.get(1).actor()).isEqualTo("admin");
        assertThat(events.get(1).added()).containsExactly(manual);
    }

    @Test
    void addManualMembershipWhenUserOrGroupIsUnknownThenRefusedAndNothingIsCreated() {
        String group = name("existing");
        store.createGroup(group, null);
        LoginIdentity login = login("nina", List.of());
        sync(login);

        assertThatThrownBy(() -> store.addManualMembership(login.issuer(), name("nobody"), group))
                .isInstanceOf(MembershipStoreException.class)
                .hasMessageContaining(name("nobody"));
        assertThatThrownBy(() -> store.addManualMembership(login.issuer(), login.subject(), name("no such group")))
                .isInstanceOf(MembershipStoreException.class)
                .hasMessageContaining(name("no such group"));
        assertThat(store.findUser(login.issuer(), name("nobody"))).isEmpty();
        assertThat(database.count("SELECT COUNT(*) FROM RB_GROUP WHERE NAME = ?", name("no such group")))
                .isZero();
    }

    @Test
    void createGroupWhenRoleIsUnknownThenRefused() {
        assertThatThrownBy(() -> store.createGroup(name("g"), "emperor"))
                .isInstanceOf(MembershipStoreException.class)
                .hasMessageContaining("'emperor'");
        assertThat(database.count("SELECT COUNT(*) FROM RB_GROUP WHERE NAME = ?", name("g")))
                .isZero();
    }

    @Test
    void groupNamesAreStoredVerbatim() {
        List<String> names = List.of(
                name("O'Brien \"quoted\""),
                name("'); DROP TABLE RB_USER; --"),
                name("Ünïcödé 管理者 🚀"),
                "{#sb64}" + name("YWRtaW4="),
                name("trailing space "),
                name("Admin"),
                name("admin"),
                name("back\\slash, semi; equals = hash #"),
                name("line\nbreak"),
                name("x").concat("y".repeat(255 - name("x").length())));
        names.forEach(group -> store.createGroup(group, null));
        LoginIdentity login = login("oscar", names);

        SyncRecord stored = sync(login);

        assertThat(names.get(names.size() - 1)).hasSize(255);
        assertThat(user(login).groups(OIDC)).containsExactlyInAnyOrderElementsOf(concat(names, "end-users"));
        assertThat(stored.userGroups()).containsExactlyInAnyOrderElementsOf(concat(names, "end-users"));
        assertThat(store.auditEvents(login.issuer(), login.subject()).get(0).added())
                .containsExactlyInAnyOrderElementsOf(concat(names, "end-users"));
        assertThat(database.count(
                        "SELECT COUNT(*) FROM RB_GROUP WHERE NAME = ? OR NAME = ?", name("Admin"), name("admin")))
                .isEqualTo(2);
        assertThat(database.count("SELECT COUNT(*) FROM RB_USER")).isPositive(); // the table is still there
    }

    @Test
    void syncWhenAGroupNameIsLongerThanTheMapperAllowsThenRefusedAndNothingIsStored() {
        String tooLong = name("x").concat("y".repeat(256 - name("x").length()));
        LoginIdentity login = login("peggy", List.of(tooLong));

        assertThatThrownBy(() -> sync(login))
                .isInstanceOf(MembershipSyncException.class)
                .hasMessageContaining("maxGroupNameLength (255)");

        assertThat(store.findUser(login.issuer(), login.subject())).isEmpty();
    }

    @Test
    void syncWhenDecisionAddsAGroupThatDoesNotExistThenRefusedAndNothingIsStored() {
        LoginIdentity login = login("quinn", List.of());
        String missing = name("missing");

        assertThatThrownBy(() -> store.sync(
                        login,
                        snapshot -> new MappingOutcome(
                                List.of(missing),
                                List.of(missing),
                                List.of(),
                                List.of(),
                                null,
                                "end-user",
                                List.of("end-user"),
                                List.of(),
                                List.of())))
                .isInstanceOf(MembershipSyncException.class)
                .hasMessageContaining(missing);

        assertThat(store.findUser(login.issuer(), login.subject())).isEmpty();
    }

    @Test
    void syncWhenDecisionAddsAGroupTheUserIsInAlreadyThenRefusedAndNothingIsStored() {
        String a = name("a");
        store.createGroup(a, "builder");
        LoginIdentity login = login("sam", List.of(a));
        SyncRecord first = sync(login);

        assertThatThrownBy(() -> store.sync(login, snapshot -> first.outcome()))
                .isInstanceOf(MembershipSyncException.class)
                .hasMessageContaining("'" + a + "'");

        assertThat(user(login).groups()).containsExactly(a);
        assertThat(store.auditEvents(login.issuer(), login.subject())).hasSize(1);
    }

    @Test
    void storeKeepsEverythingWhenClosedAndOpenedAgain(@TempDir Path directory) {
        StoreSettings settings = database == TestDatabase.H2 ? StoreSettings.embedded(directory) : database.settings();
        String group = name("persistent");
        LoginIdentity login = login("rita", List.of(group, "builder"));
        try (MembershipStore first = MembershipStore.open(settings)) {
            first.seed(StoreFixtures.CONFIG);
            first.createGroup(group, null);
            StoreFixtures.sync(first, StoreFixtures.CONFIG, login);
        }
        if (database == TestDatabase.H2) {
            assertThat(directory.resolve("rolebridge.mv.db")).isRegularFile();
        }

        try (MembershipStore reopened = MembershipStore.open(settings)) {
            StoredUser user = reopened.findUser(login.issuer(), login.subject()).orElseThrow();
            assertThat(user.groups(OIDC)).containsExactlyInAnyOrder(group, "builder");
            assertThat(user.primaryRole()).isEqualTo("builder");
            assertThat(StoreFixtures.sync(reopened, StoreFixtures.CONFIG, login)
                            .outcome()
                            .changed())
                    .isFalse();
            assertThat(reopened.auditEvents(login.issuer(), login.subject())).hasSize(1);
        }
    }

    /**
     * The store's "now" comes from its clock, and is kept in UTC to the microsecond whatever the JVM's zone:
     * here a time in the hour that does not exist in Central Europe that day.
     */
    @Test
    void syncAndManualMembershipsTakeTheirTimesFromTheStoresClockExactlyInUtc() {
        Instant now = Instant.parse("2026-03-29T02:30:00.123456Z");
        String manual = name("clocked");
        TimeZone jvm = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
        try (MembershipStore clocked = MembershipStore.open(
                database.settings(), UnaryOperator.identity(), Clock.fixed(now.plusNanos(789), ZoneOffset.UTC))) {
            clocked.createGroup(manual, null);
            LoginIdentity login = login("clara", List.of("builder"));
            StoreFixtures.sync(clocked, StoreFixtures.CONFIG, login);
            clocked.addManualMembership(login.issuer(), login.subject(), manual);

            assertThat(clocked.findUser(login.issuer(), login.subject())
                            .orElseThrow()
                            .lastLogin())
                    .isEqualTo(now);
            assertThat(clocked.auditEvents(login.issuer(), login.subject()))
                    .extracting(AuditEvent::time)
                    .containsExactly(now, now);
            assertThat(database.count(
                            "SELECT COUNT(*) FROM RB_GROUP WHERE NAME = ? AND CREATED_AT = 1774751400123456", manual))
                    .isEqualTo(1);
        } finally {
            TimeZone.setDefault(jvm);
        }
    }

    /** The one write primitive: a change of one source leaves the user's other memberships of the group alone. */
    @Test
    void changeMembershipsOfOneSourceLeavesTheOtherSourcesOfTheSameGroupAlone() {
        String shared = name("shared");
        store.createGroup(shared, null);
        LoginIdentity login = login("tess", List.of(shared));
        sync(login);
        store.addManualMembership(login.issuer(), login.subject(), shared);
        try (StoreUnit unit = StoreUnit.start(database.settings(), UnaryOperator.identity())) {
            Directory directory = new Directory(
                    new Transactions(unit.entityManagers, Clock.systemUTC()), (issuer, subject, active) -> {});

            directory.changeMemberships(login.issuer(), login.subject(), MANUAL, "admin", List.of(), List.of(shared));
            directory.changeMemberships(login.issuer(), login.subject(), MANUAL, "admin", List.of(), List.of(shared));
        }

        assertThat(user(login).memberships())
                .containsExactlyInAnyOrder(new Membership("end-users", OIDC), new Membership(shared, OIDC));
        List<AuditEvent> events = store.auditEvents(login.issuer(), login.subject());
        assertThat(events)
                .as("the second removal changed nothing and wrote nothing")
                .hasSize(3);
        assertThat(events.get(2).actor()).isEqualTo("admin");
        assertThat(events.get(2).removed()).containsExactly(shared);
    }

    private static List<String> concat(List<String> names, String more) {
        List<String> all = new ArrayList<>(names);
        all.add(more);
        return all;
    }
}
