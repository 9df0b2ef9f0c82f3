package dev.rolebridge.bench;

import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.TestApp;
import dev.rolebridge.testing.TestProvider;
import dev.rolebridge.web.RolebridgeFilter;
import dev.rolebridge.web.RolebridgeInitializer;
import jakarta.servlet.ServletContext;
import java.io.File;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.pac4j.core.client.Clients;
import org.pac4j.core.config.Config;
import org.pac4j.jee.filter.CallbackFilter;
import org.pac4j.jee.filter.SecurityFilter;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;

/**
 * Complete logins per second, side by side in one run on one embedded Tomcat: pac4j's own
 * {@code SecurityFilter} and {@code CallbackFilter} at their defaults (no sync), and Rolebridge with its
 * membership sync on the embedded database and on PostgreSQL, all against the in-process provider.
 *
 * <p>A login is the whole authorization-code flow with a new cookie jar: the protected page, the redirect to
 * the provider's authorization endpoint, the provider's redirect to the callback with a code, the callback
 * (token exchange, ID token validation, UserInfo and, for Rolebridge, the sync) and the redirect back to the
 * page, which must answer 200 as the user. Each user carries 3 of 8 IdP groups, each mapped by
 * {@code groupMappings} to an app group of its own. By default half the logins are a user's first and half
 * sign in again a user who already did (picked at random, so some of them run at the same time); a repeat login
 * carries the same groups and so changes no membership.
 *
 * <p>After a warm-up round for each target, the targets run in alternating rounds at each concurrency (in a
 * different order each round, each on a collected heap); the figures are the median logins per second of the
 * rounds and each Rolebridge target's ratio to pac4j's median.
 * Then the tables are read back: every user signed in exactly once in RB_USER, with exactly the app groups
 * their IdP groups map to, and nobody else; a failed login or a mismatch ends the program with status 1.
 *
 * <pre>
 * mvn -B -ntp -q -pl filter test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * cd filter &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/bench.cp) dev.rolebridge.bench.LoginThroughput 3 10
 * </pre>
 *
 * Arguments: rounds (default 3), seconds per round (10), databases ({@code h2,postgresql}; {@code none} for
 * pac4j alone), concurrencies ({@code 1,8,32}), share of repeat logins in per cent (50). PostgreSQL is
 * {@code ROLEBRIDGE_BENCH_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}) as
 * {@code ROLEBRIDGE_BENCH_PG_USER} ({@code postgres}), in a schema of its own, {@value #SCHEMA}, dropped and
 * created anew at each run. Beside logins per second it prints the CPU time per login of this JVM and of the
 * PostgreSQL server's processes, which on a shared machine vary less than the rates.
 */
public final class LoginThroughput {

    static final String SCHEMA = "rb_login_bench";
    // Tomcat's start-up and leak-detection notes at each stop, kept from drowning the figures (held: JUL keeps
    // loggers weakly)
    private static final java.util.logging.Logger TOMCAT = java.util.logging.Logger.getLogger("org.apache");
    // and the provider's HTTP server's warning at each of pac4j's HEAD requests for the provider's metadata
    private static final java.util.logging.Logger PROVIDER_SERVER =
            java.util.logging.Logger.getLogger("com.sun.net.httpserver");
    private static final int IDP_GROUPS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One application under load, with the users it signed in. */
    static final class Target {
        final String name;
        final String path;
        String jdbcUrl; // where its store is, null for pac4j
        final String prefix; // of its users' subjects
        final AtomicInteger created = new AtomicInteger();
        final Set<String> signedIn = ConcurrentHashMap.newKeySet();
        final List<String> repeatable = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong failures = new AtomicLong();
        final AtomicLong logins = new AtomicLong();
        final Map<Integer, List<Round>> byConcurrency = new TreeMap<>();
        volatile String firstFailure;

        Target(String name, String path, String jdbcUrl, String prefix) {
            this.name = name;
            this.path = path;
            this.jdbcUrl = jdbcUrl;
            this.prefix = prefix;
        }
    }

    /**
     * One round: logins per second, and the CPU time per login of this JVM (provider, server and load all run
     * in it) and of the PostgreSQL server's processes ({@code NaN} where {@code /proc} does not show them).
     */
    record Round(double rate, double jvmMillis, double postgresMillis) {}

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        } finally {
            System.exit(0); // Tomcat's and the provider's threads would keep the JVM up
        }
    }

    private static void run(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<String> databases = Arrays.asList((args.length > 2 ? args[2] : "h2,postgresql").split(",", -1));
        int[] concurrencies = Arrays.stream((args.length > 3 ? args[3] : "1,8,32").split(",", -1))
                .mapToInt(Integer::parseInt)
                .toArray();
        int repeatPercent = args.length > 4 ? Integer.parseInt(args[4]) : 50;
        // the JDK's HTTP server, the provider's, sends headers and body in separate packets: without
        // TCP_NODELAY each response waits for the client's delayed ACK (40 ms on Linux), as no real provider does
        System.setProperty("sun.net.httpserver.nodelay", "true");
        File base = Files.createTempDirectory("rolebridge-login-bench").toFile();
        // Rolebridge logs a line per login, as in production: to a file, not over the figures
        File log = new File(base, "bench.log");
        System.setProperty("org.slf4j.simpleLogger.logFile", log.getAbsolutePath());
        TOMCAT.setLevel(java.util.logging.Level.SEVERE);
        PROVIDER_SERVER.setLevel(java.util.logging.Level.SEVERE);
        int port = TestApp.freePort();
        String pgUrl = System.getenv().getOrDefault("ROLEBRIDGE_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String pgUser = System.getenv().getOrDefault("ROLEBRIDGE_BENCH_PG_USER", "postgres");

        try (ScriptedProvider provider = new ScriptedProvider()) {
            provider.idTokenClaims(b -> b.claim("groups", idpGroupsOf(b.build().getSubject())));
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(base.getAbsolutePath());
            tomcat.setPort(port);
            tomcat.getConnector().setProperty("address", "127.0.0.1");
            tomcat.getConnector().setProperty("maxThreads", "64");

            List<Target> targets = new ArrayList<>();
            targets.add(new Target("pac4j, no sync", "/pac4j", null, "p"));
            pac4j(tomcat, base, provider, port);
            Map<Target, Context> rolebridge = new LinkedHashMap<>();
            if (databases.contains("h2")) {
                Target h2 = new Target("Rolebridge, embedded H2", "/rb-h2", null, "h");
                targets.add(h2);
                rolebridge.put(h2, rolebridge(tomcat, base, provider, port, h2.path, null));
            }
            if (databases.contains("postgresql")) {
                try (Connection c = DriverManager.getConnection(pgUrl, pgUser, null);
                        Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                    s.execute("CREATE SCHEMA " + SCHEMA);
                }
                String url = pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
                Target pg = new Target("Rolebridge, PostgreSQL", "/rb-pg", url, "g");
                targets.add(pg);
                rolebridge.put(
                        pg,
                        rolebridge(tomcat, base, provider, port, pg.path, Map.of("jdbcUrl", url, "jdbcUser", pgUser)));
            }
            tomcat.start();
            for (Map.Entry<Target, Context> entry : rolebridge.entrySet()) {
                if (entry.getKey().jdbcUrl == null) { // the embedded database, in the application's work directory
                    File work = (File) entry.getValue().getServletContext().getAttribute(ServletContext.TEMPDIR);
                    entry.getKey().jdbcUrl =
                            "jdbc:h2:file:" + new File(work, "rolebridge/rolebridge").getAbsolutePath();
                }
            }

            int most = Arrays.stream(concurrencies).max().orElse(1);
            List<HttpClient> clients = new ArrayList<>();
            for (int i = 0; i < most; i++) {
                clients.add(HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(TIMEOUT)
                        .build());
            }
            ExecutorService users = Executors.newFixedThreadPool(most);
            String url = "http://localhost:" + port;
            System.out.printf(
                    Locale.ROOT,
                    "%d cores; %d%% repeat logins; log in %s%nwarm-up: %d s per target at %d concurrent users%n",
                    Runtime.getRuntime().availableProcessors(),
                    repeatPercent,
                    log,
                    seconds,
                    most);
            for (Target target : targets) {
                // one login alone first: pac4j initialises its client lazily, and concurrent first requests
                // can meet it half initialised (a NullPointerException in getRedirectionAction)
                login(clients.get(0), url + target.path + "/hello", nextSubject(target, 0), target);
                Round warm = round(users, clients, url, target, most, seconds, repeatPercent);
                System.out.printf(Locale.ROOT, "warm-up %-26s %7.1f logins/s%n", target.name, warm.rate());
            }
            for (int concurrency : concurrencies) {
                for (int round = 1; round <= rounds; round++) {
                    for (int t = 0; t < targets.size(); t++) {
                        Target target = targets.get((t + round) % targets.size()); // a different order each round
                        System.gc(); // each on a collected heap: no target's garbage is collected in another's round
                        Round result = round(users, clients, url, target, concurrency, seconds, repeatPercent);
                        target.byConcurrency
                                .computeIfAbsent(concurrency, c -> new ArrayList<>())
                                .add(result);
                        System.out.printf(
                                Locale.ROOT,
                                "%2d users, round %d: %-26s %7.1f logins/s, CPU per login %.2f ms JVM, %.2f ms"
                                        + " PostgreSQL%n",
                                concurrency,
                                round,
                                target.name,
                                result.rate(),
                                result.jvmMillis(),
                                result.postgresMillis());
                    }
                }
            }
            users.shutdown();

            System.out.printf(
                    Locale.ROOT,
                    "%n%d rounds of %d s after a warm-up, %d%% repeat logins, %d cores; median logins/s (× pac4j)%n",
                    rounds,
                    seconds,
                    repeatPercent,
                    Runtime.getRuntime().availableProcessors());
            StringBuilder header = new StringBuilder("| concurrent users |");
            StringBuilder rule = new StringBuilder("|---|");
            for (Target target : targets) {
                header.append(' ').append(target.name).append(" |");
                rule.append("---|");
            }
            System.out.println(header);
            System.out.println(rule);
            Target pac4j = targets.get(0);
            for (int concurrency : concurrencies) {
                double floor = median(pac4j.byConcurrency.get(concurrency), Round::rate);
                StringBuilder row = new StringBuilder("| " + concurrency + " |");
                for (Target target : targets) {
                    double rate = median(target.byConcurrency.get(concurrency), Round::rate);
                    row.append(String.format(Locale.ROOT, " %.0f", rate));
                    if (target != pac4j) {
                        row.append(String.format(Locale.ROOT, " (%.2f×)", rate / floor));
                    }
                    row.append(" |");
                }
                System.out.println(row);
            }
            System.out.printf(Locale.ROOT, "%nmedian CPU time per login, ms: this JVM (+ PostgreSQL's processes)%n");
            System.out.println(header);
            System.out.println(rule);
            for (int concurrency : concurrencies) {
                StringBuilder row = new StringBuilder("| " + concurrency + " |");
                for (Target target : targets) {
                    List<Round> results = target.byConcurrency.get(concurrency);
                    row.append(String.format(Locale.ROOT, " %.2f", median(results, Round::jvmMillis)));
                    if (target.jdbcUrl != null && target.jdbcUrl.startsWith("jdbc:postgresql:")) {
                        row.append(String.format(Locale.ROOT, " (+ %.2f)", median(results, Round::postgresMillis)));
                    }
                    row.append(" |");
                }
                System.out.println(row);
            }

            long failed = 0;
            for (Target target : targets) {
                if (target.failures.get() > 0) {
                    failed += target.failures.get();
                    System.out.printf(
                            Locale.ROOT,
                            "%s: %d failed logins, the first: %s%n",
                            target.name,
                            target.failures.get(),
                            target.firstFailure);
                }
            }
            tomcat.stop(); // closes the stores: what they wrote is what the check reads
            tomcat.destroy();
            boolean consistent = true;
            for (Map.Entry<Target, Context> entry : rolebridge.entrySet()) {
                Target target = entry.getKey();
                consistent &= check(target, target.jdbcUrl.startsWith("jdbc:h2:") ? "sa" : pgUser, provider.issuer());
            }
            if (failed > 0 || !consistent) {
                throw new IllegalStateException(failed + " failed logins; stored users and memberships "
                        + (consistent ? "" : "NOT ") + "as signed in");
            }
        }
    }

    /** The IdP groups of a user: 3 of {@value #IDP_GROUPS}, from the number in the subject. */
    static List<String> idpGroupsOf(String subject) {
        int n = Integer.parseInt(subject.substring(subject.indexOf('-') + 1));
        return List.of("idp-" + n % IDP_GROUPS, "idp-" + (n + 1) % IDP_GROUPS, "idp-" + (n + 3) % IDP_GROUPS);
    }

    /** The app groups a user's IdP groups map to. */
    static List<String> appGroupsOf(String subject) {
        return idpGroupsOf(subject).stream()
                .map(g -> g.replace("idp-", "team-"))
                .sorted()
                .toList();
    }

    private static void pac4j(Tomcat tomcat, File base, ScriptedProvider provider, int port) {
        Context pac4j = context(tomcat, base, "/pac4j");
        OidcConfiguration oidc = new OidcConfiguration();
        oidc.setDiscoveryURI(provider.discoveryUri());
        oidc.setClientId(TestProvider.CLIENT_ID);
        oidc.setSecret(provider.clientSecret());
        oidc.setPkceMethod(com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod.S256);
        oidc.setClientAuthenticationMethod(com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        OidcClient client = new OidcClient(oidc);
        // the in-process provider appends ?code=... to the redirect URI as given: keep it free of parameters
        client.setCallbackUrlResolver(new org.pac4j.core.http.callback.NoParameterCallbackUrlResolver());
        Config config = new Config(new Clients("http://localhost:" + port + "/pac4j/callback", client));
        CallbackFilter callback = new CallbackFilter(config);
        callback.setDefaultClient("OidcClient");
        filter(pac4j, "callback", callback, "/callback");
        filter(pac4j, "security", new SecurityFilter(config, "OidcClient"), "/*");
        Tomcat.addServlet(pac4j, "hello", new RequestOverhead.Hello(false)).addMapping("/*");
    }

    private static Context rolebridge(
            Tomcat tomcat, File base, ScriptedProvider provider, int port, String path, Map<String, String> store) {
        Context context = context(tomcat, base, path);
        FilterDef def = new FilterDef();
        def.setFilterName("rolebridge");
        def.setFilter(new RolebridgeFilter());
        def.setFilterClass(RolebridgeFilter.class.getName());
        Map<String, String> params = new HashMap<>(provider.filterParameters(port));
        params.put("callbackUrl", TestApp.callbackUrl(port, path));
        StringBuilder mappings = new StringBuilder();
        StringBuilder grants = new StringBuilder();
        for (int g = 0; g < IDP_GROUPS; g++) {
            mappings.append("idp-").append(g).append(" = team-").append(g).append('\n');
            grants.append("team-").append(g).append(" = builder\n"); // creates the app groups at start
        }
        params.put("groupMappings", mappings.toString());
        params.put("groupRoles", grants.toString());
        if (store != null) {
            params.putAll(store);
        }
        params.forEach(def::addInitParameter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("rolebridge");
        map.addURLPattern("/*");
        context.addFilterMap(map);
        context.addServletContainerInitializer(new RolebridgeInitializer(), null);
        Tomcat.addServlet(context, "hello", new RequestOverhead.Hello(false)).addMapping("/*");
        return context;
    }

    /** Logs in at {@code target} with {@code concurrency} users for {@code seconds}. */
    private static Round round(
            ExecutorService users,
            List<HttpClient> clients,
            String url,
            Target target,
            int concurrency,
            int seconds,
            int repeatPercent)
            throws Exception {
        long cpu = jvmCpuNanos();
        long postgres = postgresCpuNanos();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        AtomicInteger done = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int u = 0; u < concurrency; u++) {
            HttpClient http = clients.get(u);
            running.add(users.submit(() -> {
                while (System.nanoTime() < deadline) {
                    String subject = nextSubject(target, repeatPercent);
                    try {
                        login(http, url + target.path + "/hello", subject, target);
                        done.incrementAndGet();
                    } catch (Exception | AssertionError e) {
                        if (target.failures.getAndIncrement() == 0) {
                            target.firstFailure = subject + ": " + e;
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> user : running) {
            user.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int logins = Math.max(1, done.get());
        return new Round(
                done.get() / elapsed,
                (jvmCpuNanos() - cpu) / 1e6 / logins,
                postgres < 0 ? Double.NaN : (postgresCpuNanos() - postgres) / 1e6 / logins);
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * The CPU time so far of the processes named {@code postgres} on this machine (the server's backends, which a
     * pool keeps), from {@code /proc}; -1 where there is none.
     */
    private static long postgresCpuNanos() {
        File[] processes = new File("/proc").listFiles(f -> f.getName().chars().allMatch(Character::isDigit));
        if (processes == null) {
            return -1;
        }
        long ticks = 0;
        for (File process : processes) {
            try {
                String stat = Files.readString(new File(process, "stat").toPath());
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (!stat.substring(open + 1, close).equals("postgres")) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ", -1); // from the state, field 3
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime: fields 14, 15
            } catch (IOException | RuntimeException e) {
                // the process ended meanwhile
            }
        }
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    private static String nextSubject(Target target, int repeatPercent) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        synchronized (target.repeatable) {
            if (!target.repeatable.isEmpty() && random.nextInt(100) < repeatPercent) {
                return target.repeatable.get(random.nextInt(target.repeatable.size()));
            }
        }
        return target.prefix + "-" + target.created.getAndIncrement();
    }

    /** One complete code-flow login of {@code subject} at {@code page}, with a cookie jar of its own. */
    static void login(HttpClient http, String page, String subject, Target target)
            throws IOException, InterruptedException {
        CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        URI start = URI.create(page);
        HttpResponse<String> toProvider = get(http, jar, start);
        URI authorize = start.resolve(location(toProvider, 302, "the protected page"));
        // the provider signs in whoever the hint names, as a user at its login form would
        URI withHint = URI.create(authorize + "&login_hint=" + URLEncoder.encode(subject, StandardCharsets.UTF_8));
        HttpResponse<String> toCallback = get(http, jar, withHint);
        URI callback = authorize.resolve(location(toCallback, 302, "the authorization endpoint"));
        HttpResponse<String> toPage = get(http, jar, callback);
        URI back = callback.resolve(location(toPage, 302, "the callback"));
        HttpResponse<String> signedIn = get(http, jar, back);
        if (signedIn.statusCode() != 200 || !signedIn.body().equals("hello " + subject + "\n")) {
            throw new AssertionError("the page after the login answered " + signedIn.statusCode() + ": "
                    + signedIn.body().strip());
        }
        target.logins.incrementAndGet();
        if (target.signedIn.add(subject)) {
            target.repeatable.add(subject);
        }
    }

    private static String location(HttpResponse<String> response, int status, String what) {
        String location = response.headers().firstValue("Location").orElse(null);
        if (response.statusCode() != status || location == null) {
            throw new AssertionError(what + " answered " + response.statusCode() + " (expected " + status
                    + " with a Location): " + response.body().strip());
        }
        return location;
    }

    private static HttpResponse<String> get(HttpClient http, CookieManager jar, URI uri)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Accept", "text/html")
                .GET();
        jar.get(uri, Map.of()).forEach((name, values) -> {
            if (!values.isEmpty()) {
                request.header(name, String.join("; ", values));
            }
        });
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        jar.put(uri, response.headers().map());
        return response;
    }

    /**
     * Reads RB_USER and RB_MEMBERSHIP back: exactly the users {@code target} signed in, once each, each in
     * exactly the app groups of their IdP groups, once each. Prints the result; returns whether it held.
     */
    private static boolean check(Target target, String user, String issuer) throws SQLException {
        Map<String, Integer> users = new HashMap<>();
        Map<String, List<String>> groups = new HashMap<>();
        int memberships = 0;
        try (Connection c = DriverManager.getConnection(target.jdbcUrl, user, "sa".equals(user) ? "" : null)) {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT SUBJECT, COUNT(*) FROM RB_USER WHERE ISSUER = ? GROUP BY SUBJECT")) {
                s.setString(1, issuer);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        users.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT U.SUBJECT, G.NAME, M.SOURCE FROM RB_MEMBERSHIP M"
                    + " JOIN RB_USER U ON U.ID = M.USER_ID JOIN RB_GROUP G ON G.ID = M.GROUP_ID WHERE U.ISSUER = ?")) {
                s.setString(1, issuer);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        groups.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(rs.getString(2)
                                        + ("OIDC".equals(rs.getString(3)) ? "" : " (" + rs.getString(3) + ")"));
                        memberships++;
                    }
                }
            }
        }
        int lost = 0;
        int duplicated = 0;
        int unexpected = 0;
        int wrongGroups = 0;
        for (String subject : target.signedIn) {
            Integer rows = users.get(subject);
            if (rows == null) {
                lost++;
            } else if (rows > 1) {
                duplicated += rows - 1;
            }
            List<String> stored = new ArrayList<>(groups.getOrDefault(subject, List.of()));
            Collections.sort(stored);
            if (!stored.equals(appGroupsOf(subject))) {
                wrongGroups++;
            }
        }
        for (String subject : users.keySet()) {
            if (!target.signedIn.contains(subject)) {
                unexpected++;
            }
        }
        int expectedMemberships = target.signedIn.size() * 3;
        boolean ok = lost == 0
                && duplicated == 0
                && unexpected == 0
                && wrongGroups == 0
                && memberships == expectedMemberships;
        System.out.printf(
                Locale.ROOT,
                "check %s: %d logins of %d distinct users (%d first logins tried); stored %d users, %d memberships"
                        + " (expected %d); lost %d, duplicated %d, not signed in %d, users with other groups %d: %s%n",
                target.name,
                target.logins.get(),
                target.signedIn.size(),
                target.created.get(),
                users.size(),
                memberships,
                expectedMemberships,
                lost,
                duplicated,
                unexpected,
                wrongGroups,
                ok ? "OK" : "FAILED");
        return ok;
    }

    private static Context context(Tomcat tomcat, File base, String path) {
        File docs = new File(base, "docs" + path.replace('/', '-'));
        docs.mkdirs();
        return tomcat.addContext(path, docs.getAbsolutePath());
    }

    private static void filter(Context context, String name, jakarta.servlet.Filter filter, String pattern) {
        FilterDef def = new FilterDef();
        def.setFilterName(name);
        def.setFilter(filter);
        def.setFilterClass(filter.getClass().getName());
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName(name);
        map.addURLPattern(pattern);
        context.addFilterMap(map);
    }

    private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> value) {
        double[] sorted = rounds.stream().mapToDouble(value).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private LoginThroughput() {}
}
