package dev.rolebridge.bench;

import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.mapping.MappingOutcome;
import dev.rolebridge.internal.mapping.UserState;
import dev.rolebridge.sync.ClaimGroups;
import dev.rolebridge.sync.LoginIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What mapping one login costs, alone: {@link GroupMapper#map} for a groups claim of {@code groups} names against
 * a configuration of {@code rules} rules, with no database. Run with the command in the README's Performance
 * section, e.g.
 * <pre>
 * java -cp ... org.openjdk.jmh.Main MappingCost -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 *
 * <h2>The rules</h2>
 * A configuration of that size is mostly a table of IdP groups, as a directory export produces, with some
 * Keycloak-style claim rules:
 * <ul>
 *   <li><b>90 % {@code groupMappings}</b> entries: IdP group {@code /tenant-t/team-j} (20 tenants) maps to app
 *       group {@code app-(j mod 500)}; every tenth app group grants {@code builder}.</li>
 *   <li><b>10 % {@code claimRules}</b> (at least one), in turn:
 *       <ol>
 *         <li>a regular expression on the groups claim, {@code groups~/tenant-k/.*} (it reads every value of the
 *             claim until one matches; those of the 20 tenants the user's groups are in fire);</li>
 *         <li>a regular expression on a single-valued claim, {@code email~.*@dept-k\.example\.com};</li>
 *         <li>an exact value of a single-valued claim, {@code department=dept-k};</li>
 *         <li>an exact value in a nested array claim, {@code realm_access.roles=role-k}.</li>
 *       </ol>
 *       Each grants one of 100 app groups {@code claim-app-(k mod 100)}; so half of the claim rules, and 5 % of
 *       all rules, are regular expressions, and at the smallest size the one claim rule is a regular expression
 *       on the groups claim. One claim rule of each kind fires.</li>
 *   <li>One hardcoded group, {@code everyone}.</li>
 * </ul>
 * The login's group {@code i} is {@code /tenant-(i mod 20)/team-i}: the first {@code 0.9 × rules} of them have a
 * {@code groupMappings} entry, the others match nothing and are ignored (at 10 rules, most of a large claim).
 * Every target exists, so nothing is skipped or logged at {@code WARN}. The user has logged in before with the
 * same groups (the common case); the mapper still computes everything and writes its whole trace.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MappingCost {

    /** The size of the login's groups claim. */
    @Param({"1", "50", "500", "5000"})
    public int groups;

    /** The number of rules in the configuration. */
    @Param({"10", "1000", "10000"})
    public int rules;

    private GroupMapper mapper;
    private LoginIdentity login;
    private List<AppGroup> appGroups;
    private UserState state;

    @Setup(Level.Trial)
    public void setUp() {
        mapper = new GroupMapper(config(rules));
        appGroups = appGroups();
        login = login(groups);
        MappingOutcome first = mapper.map(login, appGroups, UserState.newUser());
        state = UserState.existing(first.desiredGroups(), first.primaryRole());
    }

    @Benchmark
    public MappingOutcome map() {
        return mapper.map(login, appGroups, state);
    }

    static final int TENANTS = 20;
    static final int APP_GROUPS = 500;
    static final int CLAIM_APP_GROUPS = 100;

    /** The configuration of {@code rules} rules described in the class documentation. */
    static MappingConfig config(int rules) {
        int claimRules = Math.max(1, rules / 10);
        MappingConfig.Builder b = MappingConfig.builder().maxGroups(10_000).hardcodedGroups("everyone");
        for (int j = 0; j < rules - claimRules; j++) {
            b.groupMapping(idpGroup(j), "app-" + (j % APP_GROUPS));
        }
        for (int k = 0; k < claimRules; k++) {
            String target = " -> claim-app-" + (k % CLAIM_APP_GROUPS);
            b.claimRule(
                    switch (k % 4) {
                        case 0 -> "groups~/tenant-" + k + "/.*" + target;
                        case 1 -> "email~.*@dept-" + k + "\\.example\\.com" + target;
                        case 2 -> "department=dept-" + k + target;
                        default -> "realm_access.roles=role-" + k + target;
                    });
        }
        return b.build();
    }

    /** Every app group the rules name, every tenth granting {@code builder}, with the role groups. */
    static List<AppGroup> appGroups() {
        List<AppGroup> all = new ArrayList<>(List.of(
                AppGroup.of("admin"), AppGroup.of("builder"), AppGroup.of("end-users"), AppGroup.of("everyone")));
        for (int a = 0; a < APP_GROUPS; a++) {
            all.add(a % 10 == 0 ? AppGroup.granting("app-" + a, "builder") : AppGroup.of("app-" + a));
        }
        for (int c = 0; c < CLAIM_APP_GROUPS; c++) {
            all.add(AppGroup.of("claim-app-" + c));
        }
        return all;
    }

    static String idpGroup(int j) {
        return "/tenant-" + (j % TENANTS) + "/team-" + j;
    }

    /** A login whose groups claim lists {@code count} groups, with the claims the claim rules read. */
    static LoginIdentity login(int count) {
        return login("user", count);
    }

    static LoginIdentity login(String subject, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(idpGroup(i));
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("groups", names);
        claims.put("email", subject + "@dept-1.example.com");
        claims.put("department", "dept-2");
        claims.put("realm_access", Map.of("roles", List.of("role-3", "offline_access", "uma_authorization")));
        return LoginIdentity.builder("https://idp.example", subject, subject)
                .email(subject + "@dept-1.example.com")
                .groups(ClaimGroups.of(names))
                .claims(claims)
                .build();
    }
}
