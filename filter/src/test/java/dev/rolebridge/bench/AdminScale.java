package dev.rolebridge.bench;

import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.store.AuditQuery;
import dev.rolebridge.internal.store.MembershipStore;
import dev.rolebridge.internal.store.StoreSettings;
import dev.rolebridge.sync.LoginIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What the administration page's lists cost on a directory of 10,000 users in 1,000 groups: the store is filled
 * through real logins (each user in 5 of the groups), then each read the pages make is timed (median of 21, after
 * 5 warm-up runs). Run with the command in the README's Performance section; arguments: users (10000), groups
 * (1000), and a JDBC URL (default: an embedded database in a temporary directory).
 */
public final class AdminScale {

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        Path dir = Files.createTempDirectory("rolebridge-admin-scale");
        StoreSettings settings =
                args.length > 2 ? StoreSettings.jdbc(args[2], null, null) : StoreSettings.embedded(dir);
        MappingConfig config = MappingConfig.defaults();
        GroupMapper mapper = new GroupMapper(config);
        try (MembershipStore store = MembershipStore.open(settings)) {
            store.seed(config);
            long start = System.nanoTime();
            for (int g = 0; g < groups; g++) {
                store.createGroupGranting("team-" + g, List.of("builder"));
            }
            for (int u = 0; u < users; u++) {
                List<String> mine = new ArrayList<>();
                for (int k = 0; k < 5; k++) {
                    mine.add("team-" + ((u * 7 + k * 131) % groups));
                }
                LoginIdentity login = LoginIdentity.builder("https://idp.example", "user-" + u, "user" + u)
                        .email("user" + u + "@example.com")
                        .groups(dev.rolebridge.sync.ClaimGroups.of(mine))
                        .build();
                store.sync(login, snapshot -> mapper.map(login, snapshot.appGroups(), snapshot.user()));
            }
            System.out.printf(
                    Locale.ROOT,
                    "filled %d users in %d groups in %.1f s%n",
                    users,
                    groups,
                    (System.nanoTime() - start) / 1e9);
            time("users page (first 50, no filter)", () -> store.searchUsers(null, 0, 50));
            time("users page (contains '4242')", () -> store.searchUsers("4242", 0, 50));
            time("users page (offset 9,950)", () -> store.searchUsers(null, users - 50, 50));
            time("app groups with grants (all)", store::appGroups);
            time("audit trail page (first 50)", () -> store.auditTrail(AuditQuery.all(), 0, 50));
            time(
                    "audit trail page (group team-7)",
                    () -> store.auditTrail(new AuditQuery(null, "team-7", null, null, null), 0, 50));
            time("a user's membership details", () -> store.membershipDetails("https://idp.example", "user-4242"));
        }
    }

    private static void time(String what, Supplier<?> read) {
        int seen = 0;
        for (int i = 0; i < 5; i++) {
            seen += read.get() == null ? 0 : 1;
        }
        long[] nanos = new long[21];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            seen += read.get() == null ? 0 : 1;
            nanos[i] = System.nanoTime() - start;
        }
        if (seen != 26) {
            throw new IllegalStateException(what + " returned nothing");
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "| %s | %.2f ms |%n", what, nanos[nanos.length / 2] / 1e6);
    }

    private AdminScale() {}
}
