package dev.rolebridge.internal.store;

import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.sync.LoginIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one login's sync costs: {@link MembershipStore#sync} with a {@link GroupMapper}, as the default sync hook
 * runs it (lock or create the user, read the app groups and memberships, map, write the difference and the audit
 * event, in one transaction), on the embedded database or on PostgreSQL. A benchmark, in this package for the
 * store's statement-counting hook; never run by the test suite. Run with the command in the README's Performance
 * section, e.g.
 * <pre>
 * flock /tmp/rb-db.lock java -cp ... org.openjdk.jmh.Main SyncCost -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 *
 * <p>The store holds the configured role groups and {@code groups + 1} app groups {@code g-0} ... {@code g-n};
 * the login's groups claim names {@code g-0} ... {@code g-(groups-1)}, which map by name. Scenarios:
 * <ul>
 *   <li>{@code firstLogin}: a new user each time (creates the user and {@code groups + 1} memberships, with the
 *       default group, and writes an audit event);</li>
 *   <li>{@code unchanged}: the same user logs in again with the same groups (nothing but the login time is
 *       written);</li>
 *   <li>{@code oneGroupChanged}: the same user logs in with {@code g-n} in the claim and then without it, in turn,
 *       so each login adds or removes one membership and writes an audit event.</li>
 * </ul>
 *
 * <p>Statements per login are counted at the JDBC level by {@link RecordingDataSource}, in a separate pass before
 * the timed one (20 logins of the scenario on a counting store, printed as {@code min..max (mean)}; with
 * {@code -Drolebridge.bench.sql=true} in the fork's arguments, the SQL of the last two), so the timing does not
 * include the counting proxies. PostgreSQL: {@code rolebridge.bench.postgresql.url} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code .user} ({@code postgres}), {@code .password} (empty); the
 * benchmark owns the schema {@value #SCHEMA} and recreates it for every trial. The embedded database lives in a
 * new directory under {@code target/sync-cost}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "-Dorg.slf4j.simpleLogger.logFile=target/sync-cost.log",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"
        })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SyncCost {

    /** The PostgreSQL schema this benchmark recreates; no test uses it. */
    static final String SCHEMA = "rolebridge_bench";

    private static final int COUNTED_LOGINS = 20;
    private static final MappingConfig CONFIG = MappingConfig.defaults();

    @Param({"h2", "postgresql"})
    public String db;

    @Param({"firstLogin", "unchanged", "oneGroupChanged"})
    public String scenario;

    /** The size of the login's groups claim. */
    @Param({"1", "50", "500"})
    public int groups;

    private final GroupMapper mapper = new GroupMapper(CONFIG);
    private Path h2Directory;
    private MembershipStore store;
    private LoginIdentity steady;
    private LoginIdentity other;
    private long logins;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        StoreSettings settings = freshDatabase();
        List<String> claim = IntStream.range(0, groups).mapToObj(i -> "g-" + i).toList();
        List<String> withOneMore = new ArrayList<>(claim);
        withOneMore.add("g-" + groups);
        steady = StoreFixtures.login("user", claim);
        other = StoreFixtures.login("user", withOneMore);

        RecordingDataSource recorder = new RecordingDataSource();
        try (MembershipStore counted = MembershipStore.open(settings, recorder::wrap)) {
            counted.seed(CONFIG);
            for (int g = 0; g <= groups; g++) {
                counted.createGroup("g-" + g, null);
            }
            login(counted); // the user exists and ids are allocated before counting
            IntSummaryStatistics statements = new IntSummaryStatistics();
            for (int i = 0; i < COUNTED_LOGINS; i++) {
                recorder.reset();
                login(counted);
                statements.accept(recorder.statements());
                if (Boolean.getBoolean("rolebridge.bench.sql") && i >= COUNTED_LOGINS - 2) {
                    recorder.sql().forEach(sql -> System.out.println("    " + sql));
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%n[%s, %s, %d groups] SQL statements per login: %d..%d (mean %.2f over %d logins)%n",
                    db,
                    scenario,
                    groups,
                    statements.getMin(),
                    statements.getMax(),
                    statements.getAverage(),
                    COUNTED_LOGINS);
        }
        store = MembershipStore.open(settings);
        login(store);
    }

    @Benchmark
    public MembershipStore.SyncRecord login() {
        return login(store);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        if (h2Directory != null) {
            try (Stream<Path> files = Files.walk(h2Directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.delete(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    private MembershipStore.SyncRecord login(MembershipStore on) {
        long n = logins++;
        LoginIdentity login = switch (scenario) {
            case "firstLogin" -> StoreFixtures.login("first-" + n, steady.groups());
            case "unchanged" -> steady;
            case "oneGroupChanged" -> n % 2 == 0 ? other : steady;
            default -> throw new IllegalArgumentException("scenario: '" + scenario + "'");
        };
        return on.sync(login, snapshot -> mapper.map(login, snapshot.appGroups(), snapshot.user()));
    }

    private StoreSettings freshDatabase() throws IOException, SQLException {
        switch (db) {
            case "h2" -> {
                h2Directory = Files.createDirectories(Path.of("target", "sync-cost"))
                        .resolve("h2-" + System.nanoTime())
                        .toAbsolutePath();
                Files.createDirectories(h2Directory);
                return StoreSettings.embedded(h2Directory);
            }
            case "postgresql" -> {
                String url =
                        System.getProperty("rolebridge.bench.postgresql.url", "jdbc:postgresql://127.0.0.1:5432/test");
                String user = System.getProperty("rolebridge.bench.postgresql.user", "postgres");
                String password = System.getProperty("rolebridge.bench.postgresql.password", "");
                try (Connection connection = DriverManager.getConnection(url, user, password);
                        Statement statement = connection.createStatement()) {
                    statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                    statement.execute("CREATE SCHEMA " + SCHEMA);
                }
                return StoreSettings.jdbc(
                        url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA, user, password);
            }
            default -> throw new IllegalArgumentException("db: '" + db + "', expected h2 or postgresql");
        }
    }
}
