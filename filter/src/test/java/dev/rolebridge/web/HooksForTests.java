package dev.rolebridge.web;

import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncHook;
import dev.rolebridge.sync.SyncResult;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Sync hooks named by class in test configurations. */
final class HooksForTests {

    private HooksForTests() {
    }

    /** Wraps the default hook and adds one role, as an application would to write its own tables. */
    public static final class Wrapping implements MembershipSyncHook {
        static final AtomicInteger CALLS = new AtomicInteger();
        private final MembershipSyncHook delegate;

        public Wrapping(MembershipSyncHook defaultHook) {
            this.delegate = defaultHook;
        }

        @Override
        public SyncResult sync(LoginIdentity login) {
            CALLS.incrementAndGet();
            SyncResult result = delegate.sync(login);
            var roles = new LinkedHashSet<>(result.roles());
            roles.add("wrapped");
            return new SyncResult(result.groups(), roles, "wrapped", List.of());
        }
    }

    /** Passes through to the default hook and makes it reachable to the test, to look at the store. */
    public static final class Capturing implements MembershipSyncHook {
        static volatile MembershipSyncHook last;
        private final MembershipSyncHook delegate;

        public Capturing(MembershipSyncHook defaultHook) {
            this.delegate = defaultHook;
            last = defaultHook;
        }

        @Override
        public SyncResult sync(LoginIdentity login) {
            return delegate.sync(login);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Fails every login, as a hook whose database is down would. */
    public static final class Failing implements MembershipSyncHook {
        @Override
        public SyncResult sync(LoginIdentity login) {
            throw new IllegalStateException("database unavailable");
        }
    }
}
