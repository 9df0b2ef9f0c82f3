package dev.rolebridge.bench;

import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.TestApp;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SCIM provisioning over HTTP: a provider pushes 10,000 users, then 1,000 groups with their members (each user
 * in one group, 10 to a group), as an initial Entra ID or Okta cycle does, against the embedded application on
 * the embedded database (or {@code jdbcUrl}). Prints the time and throughput of each phase and checks that the
 * endpoint lists exactly what was pushed. Arguments: users (10000), groups (1000), concurrent clients (4), and
 * optionally a JDBC URL.
 */
public final class ScimLoad {

    private static final String TOKEN = "scim-load-token-0123456789abcdef";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOTAL = Pattern.compile("\"totalResults\"\\s*:\\s*(\\d+)");

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } finally {
            System.exit(0);
        }
    }

    private static void run(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        String jdbcUrl = args.length > 3
                ? args[3]
                : "jdbc:h2:file:"
                        + new File(
                                        Files.createTempDirectory("rolebridge-scim-load")
                                                .toFile(),
                                        "db")
                                .getAbsolutePath();
        String digest = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        try (ScriptedProvider provider = new ScriptedProvider();
                TestApp app = TestApp.signingInAt(provider, params -> {
                    params.put("scimToken", "sha256:" + digest);
                    params.put("jdbcUrl", jdbcUrl);
                })) {
            HttpClient http = HttpClient.newHttpClient();
            String base = app.url("/scim/v2");
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            String[] userIds = new String[users];
            long start = System.nanoTime();
            runAll(pool, users, i -> {
                String body =
                        ("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"load-%d@example.com\","
                                        + "\"externalId\":\"ext-%d\",\"active\":true,\"emails\":[{\"primary\":true,\"value\":\"load-%d@example.com\"}]}")
                                .formatted(i, i, i);
                userIds[i] = id(send(http, "POST", base + "/Users", body, 201));
            });
            double userSeconds = (System.nanoTime() - start) / 1e9;
            long groupStart = System.nanoTime();
            int perGroup = Math.max(1, users / groups);
            runAll(pool, groups, g -> {
                StringBuilder members = new StringBuilder();
                for (int m = g * perGroup; m < Math.min(users, (g + 1) * perGroup); m++) {
                    members.append(members.isEmpty() ? "" : ",")
                            .append("{\"value\":\"")
                            .append(userIds[m])
                            .append("\"}");
                }
                String body =
                        ("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"load-group-%d\","
                                        + "\"members\":[%s]}")
                                .formatted(g, members);
                send(http, "POST", base + "/Groups", body, 201);
            });
            double groupSeconds = (System.nanoTime() - groupStart) / 1e9;
            pool.shutdown();
            int listedUsers = total(send(http, "GET", base + "/Users?count=1", null, 200));
            int listedGroups = total(send(http, "GET", base + "/Groups?count=1&excludedAttributes=members", null, 200));
            System.out.printf(Locale.ROOT, "%d clients%n", clients);
            System.out.printf(Locale.ROOT, "| %d users | %.1f s | %.0f/s |%n", users, userSeconds, users / userSeconds);
            System.out.printf(
                    Locale.ROOT,
                    "| %d groups with %d memberships | %.1f s | %.0f/s |%n",
                    groups,
                    groups * perGroup,
                    groupSeconds,
                    groups / groupSeconds);
            System.out.printf(Locale.ROOT, "| in all | %.1f s | |%n", userSeconds + groupSeconds);
            System.out.printf(Locale.ROOT, "listed afterwards: %d users, %d groups%n", listedUsers, listedGroups);
            if (listedUsers != users || listedGroups != groups) {
                throw new IllegalStateException("the endpoint lists other counts than were pushed");
            }
        }
    }

    interface Step {
        void run(int i) throws Exception;
    }

    private static void runAll(ExecutorService pool, int count, Step step) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < ((java.util.concurrent.ThreadPoolExecutor) pool).getCorePoolSize(); w++) {
            workers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    step.run(i);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
    }

    private static String send(HttpClient http, String method, String url, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/scim+json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(
                    method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String id(String body) {
        Matcher m = ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + body);
        }
        return m.group(1);
    }

    private static int total(String body) {
        Matcher m = TOTAL.matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private ScimLoad() {}
}
