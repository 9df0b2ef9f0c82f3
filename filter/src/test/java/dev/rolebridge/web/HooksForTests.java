package dev.rolebridge.web;

import dev.rolebridge.sync.HookContext;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncHook;
import dev.rolebridge.sync.SyncResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Sync hooks named by class in test configurations. */
final class HooksForTests {

    private HooksForTests() {}

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
            return result.toBuilder()
                    .addRole("wrapped")
                    .primaryRole("wrapped")
                    .trace(List.of())
                    .build();
        }
    }

    /** Passes through to the default hook and makes it reachable to the test, to look at the store. */
    public static final class Capturing implements MembershipSyncHook {
        static volatile MembershipSyncHook last;
        private final MembershipSyncHook delegate;

        @SuppressWarnings("StaticAssignmentInConstructor") // the test reads the hook the filter created
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

    /**
     * Takes the hook context: wraps the built-in hook, adds the role its own parameter {@code syncHook.extraRole}
     * names, and adds {@code returning} when the store knew the user before this login.
     */
    public static final class WithContext implements MembershipSyncHook {
        private final HookContext context;
        private final String extraRole;

        public WithContext(HookContext context) {
            this.context = context;
            this.extraRole = context.parameters().get("extraRole");
        }

        @Override
        public SyncResult sync(LoginIdentity login) {
            boolean known =
                    context.memberships().find(login.issuer(), login.subject()).isPresent();
            SyncResult.Builder result =
                    context.builtIn().sync(login).toBuilder().addRole(extraRole);
            return (known ? result.addRole("returning") : result).build();
        }
    }

    /** Has only a constructor the filter cannot call. */
    public static final class NoConstructor implements MembershipSyncHook {
        public NoConstructor(String unusable) {}

        @Override
        public SyncResult sync(LoginIdentity login) {
            throw new UnsupportedOperationException();
        }
    }
}
