package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolebridge.sync.ClaimGroups;
import dev.rolebridge.sync.LoginIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an administration page reads from the store, on every selected database: the user search, a user's
 * memberships with their origin, and the audit trail filtered and in pages. Changes go through a store of
 * this test's own whose clock stands in the far future, one stretch of time per test, so that the events of a
 * test are the newest in the shared tables and its time filters select only them.
 */
class MembershipStoreAdminTest extends StoreTestBase {

    private static final AtomicInteger TIMED_TESTS = new AtomicInteger();

    private final SettableClock clock = new SettableClock();

    /** The shared database, with the store's "now" read from {@link #clock}. */
    private MembershipStore timed;

    /** The start of this test's stretch of time: later than every earlier test's. */
    private Instant t0;

    @BeforeEach
    void openTimedStore() {
        t0 = Instant.parse("2200-01-01T00:00:00Z").plus(Duration.ofDays(10L * TIMED_TESTS.incrementAndGet()));
        clock.set(t0);
        timed = MembershipStore.open(database.settings(), UnaryOperator.identity(), clock);
    }

    @AfterEach
    void closeTimedStore() {
        timed.close();
    }

    /** {@link #t0} plus {@code seconds}, and the clock set to it. */
    private Instant at(long seconds) {
        Instant time = t0.plusSeconds(seconds);
        clock.set(time);
        return time;
    }

    private LoginIdentity login(String subject, String username, String email) {
        return LoginIdentity.builder(StoreFixtures.ISSUER, subject, username)
                .email(email)
                .groups(ClaimGroups.of(List.of()))
                .build();
    }

    // --- user search

    @Test
    void searchUsersFindsUsernameEmailOrSubjectContainingTheTextIgnoringCase() {
        LoginIdentity byName = login(name("s1"), name("ann") + "-Searchable", null);
        LoginIdentity byEmail = login(name("s2"), name("ben"), name("ben") + "@SEARCHABLE.example");
        LoginIdentity bySubject = login(name("searchable-carl"), name("carl"), null);
        LoginIdentity other = login(name("s4"), name("dora"), name("dora") + "@example.com");
        List.of(byName, byEmail, bySubject, other).forEach(this::sync);

        Page<StoredUser> found = store.searchUsers("  sEaRcHaBlE ", 0, 500);

        assertThat(found.items())
                .extracting(StoredUser::subject)
                .contains(byName.subject(), byEmail.subject(), bySubject.subject())
                .doesNotContain(other.subject());
        assertThat(store.searchUsers(name("SEARCHABLE"), 0, 500).items())
                .extracting(StoredUser::subject)
                .containsExactly(bySubject.subject()); // the prefixed text is in carl's subject only
    }

    @Test
    void searchUsersTakesPercentUnderscoreAndExclamationMarkLiterally() {
        LoginIdentity percent = login(name("50%off"), name("p"), null);
        LoginIdentity notPercent = login(name("50xoff"), name("q"), null);
        LoginIdentity underscore = login(name("a_b"), name("r"), null);
        LoginIdentity notUnderscore = login(name("axb"), name("s"), null);
        LoginIdentity bang = login(name("hey!x"), name("t"), null);
        LoginIdentity notBang = login(name("heyx"), name("u"), null);
        List.of(percent, notPercent, underscore, notUnderscore, bang, notBang).forEach(this::sync);

        assertThat(store.searchUsers(name("50%o"), 0, 10).items())
                .extracting(StoredUser::subject)
                .containsExactly(percent.subject());
        assertThat(store.searchUsers(name("a_b"), 0, 10).items())
                .extracting(StoredUser::subject)
                .containsExactly(underscore.subject());
        assertThat(store.searchUsers(name("hey!x"), 0, 10).items())
                .extracting(StoredUser::subject)
                .containsExactly(bang.subject());
        assertThat(store.searchUsers("%O", 0, 500).items()) // a wildcard would match every user
                .extracting(StoredUser::subject)
                .contains(percent.subject())
                .doesNotContain(notPercent.subject(), notUnderscore.subject());
    }

    @Test
    void searchUsersPagesByUsernameThenIdWithTheTotalOfAllFound() {
        List<LoginIdentity> logins = List.of("c", "a", "e", "b", "d").stream()
                .map(letter -> login(name("paged-" + letter), name("paged-user-" + letter), null))
                .toList();
        logins.forEach(this::sync);
        String ops = name("ops");
        store.createGroup(ops, null);
        store.addManualMembership(StoreFixtures.ISSUER, name("paged-a"), ops);

        Page<StoredUser> first = store.searchUsers(name("paged-"), 0, 2);
        Page<StoredUser> last = store.searchUsers(name("paged-"), 4, 2);

        assertThat(first.total()).isEqualTo(5);
        assertThat(first.hasMore()).isTrue();
        assertThat(first.items())
                .extracting(StoredUser::username)
                .containsExactly(name("paged-user-a"), name("paged-user-b"));
        assertThat(first.items().get(0).memberships())
                .containsExactly(
                        new StoredUser.Membership("end-users", MembershipSource.OIDC),
                        new StoredUser.Membership(ops, MembershipSource.MANUAL));
        assertThat(first.items().get(1).groups()).containsExactly("end-users");
        assertThat(last.items()).extracting(StoredUser::username).containsExactly(name("paged-user-e"));
        assertThat(last.total()).isEqualTo(5);
        assertThat(last.hasMore()).isFalse();
        assertThat(store.searchUsers(name("paged-"), 5, 2).items()).isEmpty();
    }

    @Test
    void searchUsersWithoutTextListsEveryUser() {
        sync(login("someone", List.of()));

        Page<StoredUser> all = store.searchUsers(" ", 0, 1);

        assertThat(all.total()).isEqualTo(database.count("SELECT COUNT(*) FROM RB_USER"));
        assertThat(all.items()).hasSize(1);
        assertThat(store.searchUsers(null, 0, 1).total()).isEqualTo(all.total());
    }

    @Test
    void searchUsersAndAuditTrailRefuseALimitOutside1To500OrANegativeOffset() {
        for (int limit : new int[] {0, 501}) {
            assertThatThrownBy(() -> store.searchUsers(null, 0, limit))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit is " + limit);
            assertThatThrownBy(() -> store.auditTrail(AuditQuery.all(), 0, limit))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.searchUsers(null, -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.searchUsers(null, 0, 500).limit()).isEqualTo(500);
    }

    // --- membership details

    @Test
    void membershipDetailsGiveEachMembershipsSourceTimeActorAndRules() {
        LoginIdentity ann = login("ann", List.of("admin"));
        Instant firstLogin = at(1);
        StoreFixtures.sync(timed, StoreFixtures.CONFIG, ann);
        String ops = name("ops");
        timed.createGroup(ops, null);
        Instant opsAdded = at(2);
        timed.addManualMembership(ann.issuer(), ann.subject(), ops);
        Instant adminAdded = at(3);
        timed.addManualMembership(ann.issuer(), ann.subject(), "admin"); // the same group from a second source

        List<MembershipDetail> details =
                timed.membershipDetails(ann.issuer(), ann.subject()).orElseThrow();

        String byName = "fired: by name: IdP group 'admin' -> app group 'admin'";
        assertThat(details)
                .containsExactly(
                        new MembershipDetail("admin", MembershipSource.OIDC, firstLogin, "login", List.of(byName)),
                        new MembershipDetail("admin", MembershipSource.MANUAL, adminAdded, "admin", List.of()),
                        new MembershipDetail(ops, MembershipSource.MANUAL, opsAdded, "admin", List.of()));
    }

    @Test
    void membershipDetailsWithoutAnAuditEventHaveNoActorAndOfAnUnknownUserAreEmpty() throws Exception {
        LoginIdentity ann = login("ann", List.of());
        Instant loggedIn = at(1);
        StoreFixtures.sync(timed, StoreFixtures.CONFIG, ann);
        database.execute("DELETE FROM RB_AUDIT_EVENT WHERE SUBJECT = ?", ann.subject());

        assertThat(timed.membershipDetails(ann.issuer(), ann.subject()))
                .contains(List.of(new MembershipDetail("end-users", MembershipSource.OIDC, loggedIn, null, List.of())));
        assertThat(timed.membershipDetails(ann.issuer(), name("nobody"))).isEmpty();
    }

    // --- audit trail

    /** The events of one test: ann and ben, groups whose names contain one another. */
    private final class Trail {
        final LoginIdentity ann = login("ann", List.of());
        final LoginIdentity ben = login("ben", List.of());
        final String ops = name("ops");
        final String opsTeam = name("ops-team");
        final String preOps = "pre-" + name("ops");
        final String likeChars = name("o_s%");
        final String notLike = name("oxsy");
        final String after = name("after");

        Trail() {
            for (String group : List.of(ops, opsTeam, preOps, likeChars, notLike, after)) {
                timed.createGroup(group, null);
            }
            at(0);
            StoreFixtures.sync(timed, StoreFixtures.CONFIG, ann); // e0: login adds end-users
            StoreFixtures.sync(timed, StoreFixtures.CONFIG, ben); // e0': login adds end-users
            at(1); // e1: admin adds ann to ops and ops-team
            change(ann, "admin", List.of(ops, opsTeam), List.of());
            at(2); // e2: admin adds ben to ops-team only
            change(ben, "admin", List.of(opsTeam), List.of());
            at(3); // e3: admin adds ben to pre-ops and oxsy, neither of them ops
            change(ben, "admin", List.of(preOps, notLike), List.of());
            at(4); // e4: scim removes ops from ann
            change(ann, "scim", List.of(), List.of(ops));
            at(5); // e5: admin adds ben to three groups, ops in the middle
            change(ben, "admin", List.of(likeChars, ops, after), List.of());
        }

        void change(LoginIdentity who, String actor, List<String> add, List<String> remove) {
            timed.changeMemberships(who.issuer(), who.subject(), MembershipSource.MANUAL, actor, add, remove);
        }
    }

    private static List<String> describe(Page<AuditEvent> page) {
        return page.items().stream()
                .map(e -> e.actor() + " " + e.subject().replaceFirst("^t\\d+-", "") + " +" + e.added() + " -"
                        + e.removed())
                .toList();
    }

    @Test
    void auditTrailByGroupMatchesTheGroupExactlyInAddedAndRemovedListsNewestFirst() {
        Trail trail = new Trail();

        Page<AuditEvent> ops = timed.auditTrail(new AuditQuery(null, trail.ops, null, null, null), 0, 50);

        assertThat(ops.items())
                .extracting(AuditEvent::time)
                .containsExactly(t0.plusSeconds(5), t0.plusSeconds(4), t0.plusSeconds(1));
        assertThat(ops.total()).isEqualTo(3);
        assertThat(timed.auditTrail(new AuditQuery(null, trail.likeChars, null, null, null), 0, 50)
                        .items())
                .extracting(AuditEvent::time)
                .containsExactly(t0.plusSeconds(5));
        assertThat(timed.auditTrail(new AuditQuery(null, trail.preOps, null, null, null), 0, 50)
                        .items())
                .extracting(AuditEvent::time)
                .containsExactly(t0.plusSeconds(3));
        assertThat(timed.auditTrail(new AuditQuery(null, trail.opsTeam, null, null, null), 0, 50)
                        .total())
                .isEqualTo(2);
        assertThat(timed.auditTrail(new AuditQuery(null, name("op"), null, null, null), 0, 50)
                        .total())
                .isZero();
    }

    @Test
    void auditTrailBySubjectOrUsernameListsThatUsersEvents() {
        Trail trail = new Trail();

        Page<AuditEvent> bySubject =
                timed.auditTrail(new AuditQuery(trail.ann.subject(), null, null, null, null), 0, 50);
        Page<AuditEvent> byUsername = timed.auditTrail(
                new AuditQuery(trail.ann.username().toUpperCase(Locale.ROOT), null, null, null, null), 0, 50);

        assertThat(describe(bySubject))
                .containsExactly(
                        "scim ann +[] -[" + trail.ops + "]",
                        "admin ann +[" + trail.ops + ", " + trail.opsTeam + "] -[]",
                        "login ann +[end-users] -[]");
        assertThat(bySubject.total()).isEqualTo(3);
        assertThat(byUsername.items()).isEqualTo(bySubject.items());
    }

    @Test
    void auditTrailByActorFromAndToAloneSelectOnlyTheirEvents() {
        new Trail();

        Page<AuditEvent> scim = timed.auditTrail(new AuditQuery(null, null, "scim", null, null), 0, 50);
        assertThat(scim.items())
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.actor()).isEqualTo("scim"));
        assertThat(scim.items().get(0).time()).isEqualTo(t0.plusSeconds(4)); // the newest scim event of all
        assertThat(scim.total()).isEqualTo(database.count("SELECT COUNT(*) FROM RB_AUDIT_EVENT WHERE ACTOR = 'scim'"));

        Page<AuditEvent> from = timed.auditTrail(new AuditQuery(null, null, null, t0.plusSeconds(2), null), 0, 50);
        assertThat(from.items())
                .extracting(AuditEvent::time)
                .containsExactly(t0.plusSeconds(5), t0.plusSeconds(4), t0.plusSeconds(3), t0.plusSeconds(2));

        Page<AuditEvent> to = timed.auditTrail(new AuditQuery(null, null, null, null, t0.plusSeconds(2)), 0, 3);
        assertThat(to.items()).extracting(AuditEvent::time).containsExactly(t0.plusSeconds(1), t0, t0);
        assertThat(to.total())
                .isEqualTo(database.count(
                        "SELECT COUNT(*) FROM RB_AUDIT_EVENT WHERE EVENT_TIME < ?", UtcMicros.of(t0.plusSeconds(2))));
    }

    @Test
    void auditTrailWithEveryFilterSelectsTheEventsThatMeetThemAll() {
        Trail trail = new Trail();

        assertThat(describe(timed.auditTrail(
                        new AuditQuery(trail.ann.subject(), trail.ops, "admin", t0.plusSeconds(1), t0.plusSeconds(2)),
                        0,
                        50)))
                .containsExactly("admin ann +[" + trail.ops + ", " + trail.opsTeam + "] -[]");
        assertThat(describe(timed.auditTrail(new AuditQuery(null, trail.ops, "scim", null, null), 0, 50)))
                .containsExactly("scim ann +[] -[" + trail.ops + "]");
        assertThat(timed.auditTrail(
                                new AuditQuery(trail.ben.subject(), trail.ops, null, null, t0.plusSeconds(5)), 0, 50)
                        .total())
                .isZero();
        // blank texts do not filter
        assertThat(timed.auditTrail(new AuditQuery(trail.ann.subject(), " ", "", null, null), 0, 50)
                        .total())
                .isEqualTo(3);
    }

    @Test
    void auditTrailByGroupMatchesNamesWithBackslashesAndLineBreaksExactly() {
        LoginIdentity ann = login("ann", List.of());
        String backslash = name("a\\b");
        String lineBreak = name("a\nb");
        String lookalike = name("a\\nb"); // a backslash, then n: its encoding holds that of a line break
        at(0);
        StoreFixtures.sync(timed, StoreFixtures.CONFIG, ann);
        for (String group : List.of(backslash, lineBreak, lookalike)) {
            timed.createGroup(group, null);
        }
        at(1);
        timed.changeMemberships(
                ann.issuer(), ann.subject(), MembershipSource.MANUAL, "admin", List.of(backslash), List.of());
        at(2);
        timed.changeMemberships(
                ann.issuer(),
                ann.subject(),
                MembershipSource.MANUAL,
                "admin",
                List.of(lookalike, "end-users"),
                List.of());
        at(3);
        timed.changeMemberships(
                ann.issuer(), ann.subject(), MembershipSource.MANUAL, "admin", List.of(lineBreak), List.of());

        assertThat(timed.auditTrail(new AuditQuery(null, backslash, null, null, null), 0, 10)
                        .items())
                .extracting(AuditEvent::time)
                .containsExactly(t0.plusSeconds(1));
        assertThat(timed.auditTrail(new AuditQuery(null, lineBreak, null, null, null), 0, 10)
                        .items())
                .extracting(AuditEvent::time)
                .containsExactly(t0.plusSeconds(3));
        assertThat(timed.auditTrail(new AuditQuery(null, lookalike, null, null, null), 0, 10)
                        .items())
                .extracting(AuditEvent::time)
                .containsExactly(t0.plusSeconds(2));
    }

    @Test
    void auditTrailPagesCarryTheExactTotal() {
        Trail trail = new Trail();
        AuditQuery ops = new AuditQuery(null, trail.ops, null, null, null);

        Page<AuditEvent> first = timed.auditTrail(ops, 0, 2);
        Page<AuditEvent> second = timed.auditTrail(ops, 2, 2);

        assertThat(first.items()).extracting(AuditEvent::time).containsExactly(t0.plusSeconds(5), t0.plusSeconds(4));
        assertThat(first.total()).isEqualTo(3);
        assertThat(first.hasMore()).isTrue();
        assertThat(second.items()).extracting(AuditEvent::time).containsExactly(t0.plusSeconds(1));
        assertThat(second.total()).isEqualTo(3);
        assertThat(second.hasMore()).isFalse();
    }

    // --- unmapped groups

    private List<UnmappedGroup> unmappedOfThisTest(Instant since) {
        return timed.unmappedGroups(since, 500).stream()
                .filter(group -> group.name().startsWith(name("")))
                .toList();
    }

    @Test
    void loginsRecordTheGroupsThatMapToNothingCountingEachUserOnce() {
        String a = name("unmapped-a");
        String b = name("unmapped-b ü 'quoted'");
        LoginIdentity ann = login("ann", List.of("admin", a, b, a));
        LoginIdentity ben = login("ben", List.of(a));
        at(1);
        StoreFixtures.sync(timed, StoreFixtures.CONFIG, ann);
        at(2);
        StoreFixtures.sync(timed, StoreFixtures.CONFIG, ben);
        at(5);
        MembershipStore.SyncRecord again = StoreFixtures.sync(timed, StoreFixtures.CONFIG, ann);

        assertThat(again.outcome().unmappedGroups()).containsExactly(a, b);
        assertThat(unmappedOfThisTest(t0))
                .containsExactly(
                        new UnmappedGroup(a, 2, t0.plusSeconds(5)), new UnmappedGroup(b, 1, t0.plusSeconds(5)));
        assertThat(database.count("SELECT COUNT(*) FROM RB_UNMAPPED_GROUP WHERE NAME = ?", a))
                .isEqualTo(2);
        assertThat(database.count(
                        "SELECT FIRST_SEEN FROM RB_UNMAPPED_GROUP WHERE NAME = ? AND USER_ID = ?", a, again.userId()))
                .isEqualTo(UtcMicros.of(t0.plusSeconds(1)));
        assertThat(user(ann).groups()).containsExactly("admin"); // the unmapped names stay invisible
    }

    @Test
    void unmappedGroupsSinceCountOnlyTheUsersSeenSinceAndPruningDeletesTheOlderRows() {
        String a = name("unmapped-a");
        String b = name("unmapped-b");
        at(1);
        StoreFixtures.sync(timed, StoreFixtures.CONFIG, login("ben", List.of(a)));
        at(5);
        StoreFixtures.sync(timed, StoreFixtures.CONFIG, login("ann", List.of(a, b)));

        assertThat(unmappedOfThisTest(t0.plusSeconds(2)))
                .containsExactly(
                        new UnmappedGroup(a, 1, t0.plusSeconds(5)), new UnmappedGroup(b, 1, t0.plusSeconds(5)));
        assertThat(unmappedOfThisTest(t0.plusSeconds(6))).isEmpty();
        assertThat(timed.unmappedGroups(t0, 1)).hasSize(1);
        assertThatThrownBy(() -> timed.unmappedGroups(t0, 0)).isInstanceOf(IllegalArgumentException.class);

        assertThat(timed.deleteUnmappedGroupsBefore(t0.plusSeconds(2))).isGreaterThanOrEqualTo(1);

        assertThat(unmappedOfThisTest(Instant.EPOCH))
                .containsExactly(
                        new UnmappedGroup(a, 1, t0.plusSeconds(5)), new UnmappedGroup(b, 1, t0.plusSeconds(5)));
        assertThat(database.count(
                        "SELECT COUNT(*) FROM RB_UNMAPPED_GROUP WHERE LAST_SEEN < ?", UtcMicros.of(t0.plusSeconds(2))))
                .isZero();
    }

    @Test
    void aLoginWhoseGroupsAllMapRecordsNoUnmappedGroup() {
        LoginIdentity ann = login("ann", List.of("admin", "builder"));
        at(1);

        long userId = StoreFixtures.sync(timed, StoreFixtures.CONFIG, ann).userId();

        assertThat(database.count("SELECT COUNT(*) FROM RB_UNMAPPED_GROUP WHERE USER_ID = ?", userId))
                .isZero();
    }

    /** A clock a test sets; UTC. */
    private static final class SettableClock extends Clock {

        private volatile Instant now = Instant.EPOCH;

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
