package dev.rolebridge.internal.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.RolebridgePrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {

    private static final String ISSUER = "https://idp.example.com";
    private static final Duration POLL = Duration.ofSeconds(10);

    private final TestClock clock = new TestClock();
    private final AtomicInteger looks = new AtomicInteger();
    private final List<SharedLogouts.Numbered> recorded = new ArrayList<>();

    private final SharedLogouts shared = new SharedLogouts() {
        @Override
        public boolean record(String issuer, String subject, String sid, String jti, Instant at) {
            return true;
        }

        @Override
        public List<Event> since(Instant since, int limit) {
            return List.of();
        }

        @Override
        public List<Numbered> after(long id, int limit) {
            looks.incrementAndGet();
            return recorded.stream().filter(n -> n.id() > id).toList();
        }
    };

    private final SessionRegistry registry = new SessionRegistry(shared, POLL, clock);

    private FakeHttp.Session signedIn(String subject) {
        FakeHttp.Session session = new FakeHttp.Session(clock.millis());
        registry.register(session.proxy, subject, null, clock.millis());
        return session;
    }

    @Test
    void endedSessionsArePurgedOncePerIntervalNotAtEachRegistration() {
        FakeHttp.Session ended = signedIn("alice");
        ended.invalidate();
        signedIn("bob");
        assertThat(registry.size()).as("within the purge interval").isEqualTo(2);

        clock.advance(SessionRegistry.PURGE_INTERVAL);
        signedIn("carol");
        assertThat(registry.size()).as("the ended session purged").isEqualTo(2);
        assertThat(registry.contains(ended.proxy)).isFalse();
    }

    @Test
    void sharedLogoutsAreReadAtMostOncePerPollInterval() {
        registry.pollSharedLogouts(ISSUER);
        registry.pollSharedLogouts(ISSUER);
        assertThat(looks).hasValue(1);
        clock.advance(POLL.minusMillis(1));
        registry.pollSharedLogouts(ISSUER);
        assertThat(looks).hasValue(1);
        clock.advance(Duration.ofMillis(1));
        registry.pollSharedLogouts(ISSUER);
        assertThat(looks).hasValue(2);
    }

    @Test
    void aLogoutAnotherNodeRecordedEndsTheSessionsSignedInBeforeIt() {
        FakeHttp.Session before = signedIn("alice");
        clock.advance(Duration.ofSeconds(5));
        Instant loggedOut = clock.instant();
        clock.advance(Duration.ofSeconds(5));
        FakeHttp.Session after = signedIn("alice");
        recorded.add(new SharedLogouts.Numbered(50, new SharedLogouts.Event(ISSUER, "alice", null, loggedOut)));

        registry.pollSharedLogouts(ISSUER);

        assertThat(before.invalid).isTrue();
        assertThat(after.invalid).as("signed in again after the logout").isFalse();
    }

    @Test
    void aLogoutFromAnotherIssuerEndsNothing() {
        FakeHttp.Session session = signedIn("alice");
        recorded.add(new SharedLogouts.Numbered(
                50,
                new SharedLogouts.Event(
                        "https://other.example.com",
                        "alice",
                        null,
                        clock.instant().plusSeconds(1))));
        registry.pollSharedLogouts(ISSUER);
        assertThat(session.invalid).isFalse();
    }

    @Test
    void aUsersSessionsAreFoundWithoutTheOthers() {
        FakeHttp.Session alice1 = signedIn("alice");
        FakeHttp.Session bob = signedIn("bob");
        FakeHttp.Session alice2 = signedIn("alice");
        List<Object> seen = new ArrayList<>();
        registry.forEachOf("alice", seen::add);
        assertThat(seen).containsExactlyInAnyOrder(alice1.proxy, alice2.proxy);

        assertThat(registry.end("alice", null)).isEqualTo(2);
        assertThat(alice1.invalid).isTrue();
        assertThat(alice2.invalid).isTrue();
        assertThat(bob.invalid).isFalse();
        seen.clear();
        registry.forEachOf("alice", seen::add);
        assertThat(seen).as("ended sessions leave the index").isEmpty();
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void aLogoutNamingOnlyTheProviderSessionEndsItsSessions() {
        FakeHttp.Session inSid = new FakeHttp.Session(clock.millis());
        registry.register(inSid.proxy, "alice", "sid-1", clock.millis());
        FakeHttp.Session otherSid = new FakeHttp.Session(clock.millis());
        registry.register(otherSid.proxy, "alice", "sid-2", clock.millis());

        assertThat(registry.end(null, "sid-1")).isEqualTo(1);
        assertThat(inSid.invalid).isTrue();
        assertThat(otherSid.invalid).isFalse();
        List<Object> seen = new ArrayList<>();
        registry.forEachOf("alice", seen::add);
        assertThat(seen).containsExactly(otherSid.proxy);
    }

    @Test
    void aSessionRegisteredAgainIsIndexedUnderItsNewSubjectOnly() {
        FakeHttp.Session session = signedIn("alice");
        registry.register(session.proxy, "bob", null, clock.millis()); // signed in again as someone else
        List<Object> alice = new ArrayList<>();
        registry.forEachOf("alice", alice::add);
        List<Object> bob = new ArrayList<>();
        registry.forEachOf("bob", bob::add);
        assertThat(alice).isEmpty();
        assertThat(bob).containsExactly(session.proxy);
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void purgedSessionsLeaveTheSubjectIndex() {
        FakeHttp.Session ended = signedIn("alice");
        ended.invalidate();
        clock.advance(SessionRegistry.PURGE_INTERVAL);
        signedIn("bob");
        List<Object> seen = new ArrayList<>();
        registry.forEachOf("alice", seen::add);
        assertThat(seen).isEmpty();
    }

    @Test
    void aSessionsStateRemembersThatThisNodeRegisteredItAndASerializedCopyDoesNot() throws Exception {
        RolebridgePrincipal alice = new RolebridgePrincipal("alice", ISSUER, "alice", Set.of(), Set.of(), null);
        FakeHttp.Session registered = signedIn("alice");
        RoleRefresh.Fresh state = new RoleRefresh.Fresh(alice, 1, Long.MAX_VALUE);
        FakeHttp.Session unknown = new FakeHttp.Session(clock.millis());
        RoleRefresh.Fresh unknownState = new RoleRefresh.Fresh(alice, 1, Long.MAX_VALUE);

        assertThat(registry.contains(unknown.proxy, unknownState)).isFalse();
        assertThat(unknownState.isRegisteredIn(registry))
                .as("nothing remembered for a session not here")
                .isFalse();
        assertThat(registry.contains(registered.proxy, state)).isTrue();
        assertThat(state.isRegisteredIn(registry)).isTrue();
        assertThat(state.isRegisteredIn(new SessionRegistry(shared, POLL, clock)))
                .as("another registry (a filter started again) looks its sessions up itself")
                .isFalse();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        RoleRefresh.Fresh restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (RoleRefresh.Fresh) in.readObject();
        }
        assertThat(restored.principal()).isEqualTo(alice);
        assertThat(restored.isRegisteredIn(registry))
                .as("a session restored or replicated is looked up, and adopted, again")
                .isFalse();
        assertThat(registry.contains(unknown.proxy, restored)).isFalse();
    }
}
