package dev.rolebridge.bench;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.TestApp;
import dev.rolebridge.testing.TestProvider;
import dev.rolebridge.web.RolebridgeFilter;
import dev.rolebridge.web.RolebridgeInitializer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Per-request overhead, side by side in one run on one embedded Tomcat: a bare servlet; a servlet that reads its
 * session; the same behind a filter that only passes the request on (what any filter costs the container), and
 * behind one that passes it on in a request wrapper (what answering {@code getUserPrincipal} costs any filter);
 * pac4j's {@code SecurityFilter} at its defaults (an OIDC client against the in-process provider); and
 * Rolebridge. Each target is signed in (or has its session) once, then loaded with {@code wrk} on loopback in
 * alternating rounds (each target on a collected heap, the order turning by one each round); the figures are the
 * median requests per second of the rounds and wrk's p50 and p99
 * latency of the median round, with each target's ratio to the session-reading servlet (the ratio of the medians,
 * and the median of the ratios within a round, which drift between rounds does not move), and each target's CPU
 * time per request: this JVM's, the server's, over the round (wrk runs in a process of its own), which counts no
 * time the VM's host takes the core away. Run it with the command
 * in the README's Performance section; arguments: rounds (default 5), seconds per round (10), connections (16),
 * wrk threads (1), and optionally the CPU to run wrk on (with this JVM started on the other one).
 */
public final class RequestOverhead {

    /** What every protected target answers: the same few bytes. */
    static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final boolean readSession;

        Hello(boolean readSession) {
            this.readSession = readSession;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String who = "anyone";
            if (readSession) {
                HttpSession session = request.getSession(true);
                Object user = session.getAttribute("user");
                if (user == null) {
                    session.setAttribute("user", "bench");
                    user = "bench";
                }
                who = (String) user;
            }
            if (request.getUserPrincipal() != null) {
                who = request.getUserPrincipal().getName();
            }
            byte[] body = ("hello " + who + "\n").getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/plain");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    /** One round of one target; {@code cpu}: this JVM's CPU time per request in the round, in microseconds. */
    record Result(String target, double rps, String p50, String p99, double cpu) {}

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } finally {
            System.exit(0); // Tomcat's and the provider's threads would keep the JVM up
        }
    }

    private static void run(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        // a CPU to run wrk on (taskset), e.g. 1 with this JVM started under `taskset -c 0`: the load generator and
        // the server then stop taking each other's core, which makes rounds much steadier on two cores
        wrkCpu = args.length > 4 ? args[4] : null;
        int port = TestApp.freePort();
        File base = Files.createTempDirectory("rolebridge-bench").toFile();
        try (ScriptedProvider provider = new ScriptedProvider()) {
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(base.getAbsolutePath());
            tomcat.setPort(port);
            tomcat.getConnector().setProperty("address", "127.0.0.1");
            tomcat.getConnector().setProperty("maxThreads", "64");

            Context bare = context(tomcat, base, "/bare");
            Tomcat.addServlet(bare, "hello", new Hello(false)).addMapping("/*");

            Context session = context(tomcat, base, "/session");
            Tomcat.addServlet(session, "hello", new Hello(true)).addMapping("/*");

            // the floor of any filter: the same servlet behind a filter that only passes the request on
            Context passing = context(tomcat, base, "/passing");
            filter(passing, "pass", (request, response, chain) -> chain.doFilter(request, response), "/*");
            Tomcat.addServlet(passing, "hello", new Hello(true)).addMapping("/*");

            // and a filter that passes it on wrapped, as any filter answering getUserPrincipal/isUserInRole must
            Context wrapping = context(tomcat, base, "/wrapping");
            filter(
                    wrapping,
                    "wrap",
                    (request, response, chain) -> chain.doFilter(
                            new jakarta.servlet.http.HttpServletRequestWrapper((HttpServletRequest) request), response),
                    "/*");
            Tomcat.addServlet(wrapping, "hello", new Hello(true)).addMapping("/*");

            Context pac4j = context(tomcat, base, "/pac4j");
            OidcConfiguration oidc = new OidcConfiguration();
            oidc.setDiscoveryURI(provider.discoveryUri());
            oidc.setClientId(TestProvider.CLIENT_ID);
            oidc.setSecret(provider.clientSecret());
            oidc.setPkceMethod(com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod.S256);
            oidc.setClientAuthenticationMethod(
                    com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
            OidcClient client = new OidcClient(oidc);
            // the in-process provider appends ?code=... to the redirect URI as given: keep it free of parameters
            client.setCallbackUrlResolver(new org.pac4j.core.http.callback.NoParameterCallbackUrlResolver());
            Config config = new Config(new Clients("http://localhost:" + port + "/pac4j/callback", client));
            CallbackFilter callback = new CallbackFilter(config);
            callback.setDefaultClient("OidcClient");
            filter(pac4j, "callback", callback, "/callback");
            filter(pac4j, "security", new SecurityFilter(config, "OidcClient"), "/*");
            Tomcat.addServlet(pac4j, "hello", new Hello(false)).addMapping("/*");

            Context rolebridge = context(tomcat, base, "/rolebridge");
            FilterDef def = new FilterDef();
            def.setFilterName("rolebridge");
            def.setFilter(new RolebridgeFilter());
            def.setFilterClass(RolebridgeFilter.class.getName());
            Map<String, String> params = provider.filterParameters(port);
            params.put("callbackUrl", TestApp.callbackUrl(port, "/rolebridge"));
            params.put(
                    "jdbcUrl",
                    "jdbc:h2:file:" + new File(base, "rolebridge-db").getAbsolutePath() + ";DB_CLOSE_DELAY=-1");
            params.forEach(def::addInitParameter);
            rolebridge.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName("rolebridge");
            map.addURLPattern("/*");
            rolebridge.addFilterMap(map);
            rolebridge.addServletContainerInitializer(new RolebridgeInitializer(), null);
            Tomcat.addServlet(rolebridge, "hello", new Hello(false)).addMapping("/*");

            tomcat.start();
            String url = "http://127.0.0.1:" + port;
            Map<String, String[]> targets = new LinkedHashMap<>();
            targets.put("bare servlet", new String[] {url + "/bare/hello", null});
            targets.put(
                    "servlet reading its session",
                    new String[] {url + "/session/hello", cookie(port, "/session/hello")});
            targets.put(
                    "the same behind a filter that passes it on",
                    new String[] {url + "/passing/hello", cookie(port, "/passing/hello")});
            targets.put(
                    "the same, passed on in a request wrapper",
                    new String[] {url + "/wrapping/hello", cookie(port, "/wrapping/hello")});
            targets.put("pac4j SecurityFilter", new String[] {url + "/pac4j/hello", cookie(port, "/pac4j/hello")});
            targets.put("Rolebridge", new String[] {url + "/rolebridge/hello", cookie(port, "/rolebridge/hello")});
            for (Map.Entry<String, String[]> target : targets.entrySet()) {
                String check = curl(target.getValue()[0], target.getValue()[1]);
                if (!check.startsWith("hello")) {
                    throw new IllegalStateException(target.getKey() + " is not signed in: " + check);
                }
                // what each answers, headers included: the responses compared are alike
                System.out.printf(
                        Locale.ROOT,
                        "%s answers:%n%s%n",
                        target.getKey(),
                        curl(target.getValue()[0], target.getValue()[1], "-i")
                                .strip()
                                .indent(4));
            }

            System.out.printf(Locale.ROOT, "warm-up: %d s per target%n", seconds);
            for (String[] target : targets.values()) {
                wrk(target, seconds, connections, threads);
            }
            Map<String, List<Result>> results = new LinkedHashMap<>();
            List<Map.Entry<String, String[]>> order = new ArrayList<>(targets.entrySet());
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < order.size(); i++) {
                    // the order turns by one each round, so that no target always follows the same one, and each
                    // target starts on a collected heap: a target that makes much garbage (pac4j's) otherwise has
                    // it collected, on the server's one core, during the next target's round
                    Map.Entry<String, String[]> target = order.get((i + round - 1) % order.size());
                    System.gc();
                    Result result = wrk(target.getValue(), seconds, connections, threads);
                    results.computeIfAbsent(target.getKey(), k -> new ArrayList<>())
                            .add(new Result(target.getKey(), result.rps(), result.p50(), result.p99(), result.cpu()));
                    System.out.printf(
                            Locale.ROOT,
                            "round %d %-30s %10.0f req/s %8.2f us CPU/req%n",
                            round,
                            target.getKey(),
                            result.rps(),
                            result.cpu());
                }
            }
            Result floor = median(results.get("servlet reading its session"));
            System.out.printf(
                    Locale.ROOT,
                    "%n%d rounds of %d s, %d connections, %d wrk thread(s), %d cores%n",
                    rounds,
                    seconds,
                    connections,
                    threads,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(
                    Locale.ROOT,
                    "| target | requests/s (median) | p50 | p99 | ratio of the medians | median of the rounds' ratios"
                            + " | CPU per request (median) | CPU ratio of the medians | median of the rounds' CPU"
                            + " ratios |%n");
            System.out.printf(Locale.ROOT, "|---|---|---|---|---|---|---|---|---|%n");
            List<Result> floors = results.get("servlet reading its session");
            for (Map.Entry<String, List<Result>> entry : results.entrySet()) {
                Result median = median(entry.getValue());
                double cpu = medianCpu(entry.getValue());
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %.0f | %s | %s | %.3f | %.3f | %.2f µs | %.3f | %.3f |%n",
                        entry.getKey(),
                        median.rps(),
                        median.p50(),
                        median.p99(),
                        median.rps() / floor.rps(),
                        medianRatio(entry.getValue(), floors, Result::rps),
                        cpu,
                        medianCpu(floors) / cpu,
                        medianRatio(floors, entry.getValue(), Result::cpu));
            }
            tomcat.stop();
            tomcat.destroy();
        }
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

    /** Signs a browser in at {@code path} (following the provider's redirects) and returns its session cookie. */
    private static String cookie(int port, String path) {
        Browser browser = new Browser();
        String body = browser.open("http://localhost:" + port + path).body();
        if (!body.startsWith("hello")) {
            throw new IllegalStateException("signing in at " + path + " failed: " + body);
        }
        return "JSESSIONID=" + browser.cookie("JSESSIONID").orElseThrow();
    }

    private static String curl(String url, String cookie, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s"));
        command.addAll(List.of(options));
        command.add(url);
        if (cookie != null) {
            command.addAll(List.of("-H", "Cookie: " + cookie));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P50 = Pattern.compile("\\s50%\\s+(\\S+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+(\\S+)");
    private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in");
    private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static String wrkCpu;

    private static Result wrk(String[] target, int seconds, int connections, int threads) throws Exception {
        List<String> command = new ArrayList<>();
        if (wrkCpu != null) {
            command.addAll(List.of("taskset", "-c", wrkCpu));
        }
        command.addAll(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (target[1] != null) {
            command.addAll(List.of("-H", "Cookie: " + target[1]));
        }
        command.add(target[0]);
        // the server's CPU time: this JVM's (wrk is another process, on its own CPU when wrkCpu is given), which
        // counts no time the VM's host takes the core away and so varies less between rounds than the rate
        long cpuBefore = OS.getProcessCpuTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        long cpu = OS.getProcessCpuTime() - cpuBefore;
        if (exit != 0 || out.contains("Non-2xx")) {
            throw new IllegalStateException("wrk failed or saw errors for " + target[0] + ":\n" + out);
        }
        double cpuPerRequest = cpu / 1000.0 / number(REQUESTS, out);
        return new Result(target[0], number(RPS, out), text(P50, out), text(P99, out), cpuPerRequest);
    }

    private static double number(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + pattern + " in\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String text(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : "?";
    }

    /** The median of each round's ratio of {@code value}, {@code results} to {@code floors} of the same round. */
    private static double medianRatio(
            List<Result> results, List<Result> floors, java.util.function.ToDoubleFunction<Result> value) {
        double[] ratios = new double[results.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = value.applyAsDouble(results.get(i)) / value.applyAsDouble(floors.get(i));
        }
        java.util.Arrays.sort(ratios);
        return ratios[ratios.length / 2];
    }

    private static double medianCpu(List<Result> results) {
        double[] cpu = results.stream().mapToDouble(Result::cpu).sorted().toArray();
        return cpu[cpu.length / 2];
    }

    private static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(java.util.Comparator.comparingDouble(Result::rps));
        return sorted.get(sorted.size() / 2);
    }

    private RequestOverhead() {}
}
