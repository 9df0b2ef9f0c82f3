package dev.rolebridge.internal.store;

import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.sync.ClaimGroups;
import dev.rolebridge.sync.LoginIdentity;
import java.util.List;

/** Small factories for the persistence suite. */
final class StoreFixtures {

    /** The configuration the shared stores are seeded with: roles admin > builder > end-user, default group end-users. */
    static final MappingConfig CONFIG = MappingConfig.defaults();

    static final String ISSUER = "https://idp.example.com/realms/rolebridge";

    private StoreFixtures() {}

    /** A verified login whose groups claim lists {@code groups}. */
    static LoginIdentity login(String subject, List<String> groups) {
        return login(subject, ClaimGroups.of(groups));
    }

    static LoginIdentity login(String subject, ClaimGroups groups) {
        return LoginIdentity.builder(ISSUER, subject, subject + "-name")
                .email(subject + "@example.com")
                .groups(groups)
                .build();
    }

    /** Syncs a login through a {@link GroupMapper} of {@code config}, as the default sync hook does. */
    static MembershipStore.SyncRecord sync(MembershipStore store, MappingConfig config, LoginIdentity login) {
        GroupMapper mapper = new GroupMapper(config);
        return store.sync(login, snapshot -> mapper.map(login, snapshot.appGroups(), snapshot.user()));
    }
}
