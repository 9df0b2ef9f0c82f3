package dev.rolebridge.bench;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.TestApp;
import dev.rolebridge.web.RolebridgeInitializer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.catalina.startup.Tomcat;

/**
 * The bytes Rolebridge adds to a serialized session, as a container writes it when it persists or replicates
 * sessions: a user signs in with 10, 100 and 1,000 provider groups (each mapped to an app group of its own), and
 * a servlet behind the filter serializes the attributes of the signed-in session with Java serialization, the way
 * Tomcat's session managers do: each alone, and all of them into one stream (as a container writes a session, an
 * object two attributes share is written once). Prints each attribute's size and the whole, per group count.
 * Arguments: the group counts (default 10 100 1000).
 */
public final class SessionFootprint {

    private static final String ALL = "(all, in one stream)";

    /** Writes, for the request's session, one line per attribute: its name and its serialized size in bytes. */
    static final class Footprint extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            HttpSession session = request.getSession(false);
            Map<String, Integer> sizes = new TreeMap<>();
            if (session != null) {
                List<String> names = Collections.list(session.getAttributeNames());
                for (String name : names) {
                    sizes.put(name, serializedSize(List.of(session.getAttribute(name))));
                }
                // as Tomcat writes a session: every attribute into one stream, so an object two attributes share
                // is written once
                List<Object> all = new java.util.ArrayList<>();
                for (String name : names) {
                    all.add(name);
                    all.add(session.getAttribute(name));
                }
                sizes.put(ALL, serializedSize(all));
            }
            response.setContentType("text/plain;charset=UTF-8");
            StringBuilder out = new StringBuilder();
            sizes.forEach(
                    (name, size) -> out.append(name).append('=').append(size).append('\n'));
            response.getWriter().write(out.toString());
        }

        /** The bytes {@code values} take in an object stream beyond those of an empty stream and list. */
        private static int serializedSize(List<Object> values) throws IOException {
            return streamed(values) - streamed(List.of());
        }

        private static int streamed(List<Object> values) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                for (Object value : values) {
                    out.writeObject(value);
                }
            }
            return bytes.size();
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args.length == 0 ? List.of(10, 100, 1000) : parse(args));
        } finally {
            System.exit(0);
        }
    }

    private static List<Integer> parse(String[] args) {
        return java.util.Arrays.stream(args).map(Integer::parseInt).toList();
    }

    private static void run(List<Integer> groupCounts) {
        int most = groupCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
        try (ScriptedProvider provider = new ScriptedProvider()) {
            int port = TestApp.freePort();
            Map<String, String> params = provider.filterParameters(port);
            params.put("autoCreateGroups", "true");
            params.put("maxGroups", Integer.toString(most));
            params.put("maxCreatedGroupsPerLogin", Integer.toString(most));
            params.put("maxCreatedGroups", Integer.toString(most * groupCounts.size()));
            try (TestApp app = TestApp.withFilter(port, params, context -> {
                context.addServletContainerInitializer(new RolebridgeInitializer(), null);
                Tomcat.addServlet(context, "footprint", new Footprint()).addMapping("/footprint");
            })) {
                if (!app.started()) {
                    throw new IllegalStateException(app.containerLog());
                }
                System.out.println(
                        "| provider groups | each attribute alone (bytes) | the session's attributes in one stream (bytes) |");
                System.out.println("|---|---|---|");
                for (int count : groupCounts) {
                    String user = "footprint-" + count;
                    List<String> groups = IntStream.range(0, count)
                            .mapToObj(i -> String.format(Locale.ROOT, "team-%d-%04d", count, i))
                            .toList();
                    provider.idTokenClaims(b ->
                            b.subject(user).claim("preferred_username", user).claim("groups", groups));
                    Browser browser = new Browser();
                    String body = browser.open(app.url("/footprint")).body();
                    print(count, body);
                }
            }
        }
    }

    private static void print(int groups, String body) {
        Map<String, Integer> sizes = new TreeMap<>();
        body.lines()
                .filter(line -> line.contains("="))
                .forEach(line -> sizes.put(
                        line.substring(0, line.lastIndexOf('=')),
                        Integer.parseInt(line.substring(line.lastIndexOf('=') + 1))));
        if (sizes.isEmpty()) {
            throw new IllegalStateException("the signed-in session has no attributes: " + body);
        }
        Integer total = sizes.remove(ALL);
        StringBuilder each = new StringBuilder();
        sizes.forEach((name, size) -> each.append(each.length() == 0 ? "" : ", ")
                .append('`')
                .append(name)
                .append("` ")
                .append(String.format(Locale.ROOT, "%,d", size)));
        System.out.printf(Locale.ROOT, "| %,d | %s | %,d |%n", groups, each, total);
    }

    private SessionFootprint() {}
}
