package dev.rolebridge.sample;

import dev.rolebridge.sample.testing.DemoProvider;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

/**
 * The sample application as Maven built it (the exploded WAR under {@code target/}) in an embedded Tomcat,
 * signed in through an embedded OpenID provider with a demo login page, or through any provider named by
 * {@code OIDC_DISCOVERY_URI}, {@code OIDC_CLIENT_ID} and {@code OIDC_CLIENT_SECRET}.
 */
public final class SampleServer implements AutoCloseable {

    static final String CONTEXT_PATH = "/expenses";

    /** A provider the application signs in with, and the client registered there. */
    public record Provider(String discoveryUri, String clientId, String clientSecret) {

        /** The embedded demo provider accepts any client; these are the ones the sample uses. */
        static Provider demo(DemoProvider provider) {
            return new Provider(provider.discoveryUri(), DemoProvider.CLIENT_ID, DemoProvider.CLIENT_SECRET);
        }
    }

    private final DemoProvider demoProvider;
    private final Tomcat tomcat;
    private final Context context;
    private final int port;

    private SampleServer(DemoProvider demoProvider, Tomcat tomcat, Context context, int port) {
        this.demoProvider = demoProvider;
        this.tomcat = tomcat;
        this.context = context;
        this.port = port;
    }

    /**
     * Starts the application on {@code port} with the provider the environment names, or else with the embedded
     * demo provider on {@code providerPort}.
     */
    public static SampleServer start(int port, int providerPort) throws IOException, LifecycleException {
        String discovery = System.getenv("OIDC_DISCOVERY_URI");
        if (discovery != null && !discovery.isBlank()) {
            return start(
                    port,
                    new Provider(
                            discovery,
                            envOr("OIDC_CLIENT_ID", DemoProvider.CLIENT_ID),
                            System.getenv("OIDC_CLIENT_SECRET")),
                    null);
        }
        DemoProvider demo = DemoProvider.start(providerPort);
        try {
            return start(port, Provider.demo(demo), demo);
        } catch (IOException | LifecycleException | RuntimeException e) {
            demo.close();
            throw e;
        }
    }

    /** Starts the application on {@code port}, signing in with {@code provider}. */
    public static SampleServer start(int port, Provider provider) throws IOException, LifecycleException {
        return start(port, provider, null);
    }

    private static SampleServer start(int port, Provider provider, DemoProvider demo)
            throws IOException, LifecycleException {
        // the web.xml's ${sys:...} placeholders
        System.setProperty("rolebridge.sample.discoveryUri", provider.discoveryUri());
        System.setProperty("rolebridge.sample.clientId", provider.clientId());
        // blank counts as absent: a public client
        System.setProperty(
                "rolebridge.sample.clientSecret", provider.clientSecret() == null ? "" : provider.clientSecret());
        System.setProperty("rolebridge.sample.callbackUrl", "http://localhost:" + port + CONTEXT_PATH + "/callback");

        File base = Files.createTempDirectory("rolebridge-sample").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        tomcat.setPort(port);
        tomcat.getConnector();
        tomcat.setAddDefaultWebXmlToWebapp(false); // the sample has no JSPs: no Jasper needed
        Context context = tomcat.addWebapp(CONTEXT_PATH, explodedWar().getAbsolutePath());
        // under exec:java Tomcat is not on the system class path: the application's loader must see this one
        context.setParentClassLoader(SampleServer.class.getClassLoader());
        Wrapper defaultServlet = Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
        defaultServlet.setLoadOnStartup(1);
        defaultServlet.addMapping("/");
        tomcat.start();
        if (context.getState() != LifecycleState.STARTED) {
            tomcat.stop();
            tomcat.destroy();
            throw new IllegalStateException("the sample application did not start; see the log above");
        }
        return new SampleServer(demo, tomcat, context, port);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static File explodedWar() {
        File target = new File(System.getProperty("rolebridge.sample.war", "target/rolebridge-sample"));
        if (!new File(target, "WEB-INF/web.xml").isFile()) {
            throw new IllegalStateException(
                    "no exploded WAR at " + target.getAbsolutePath() + "; build it first (mvn package)");
        }
        return target;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String url(String path) {
        return "http://localhost:" + port + CONTEXT_PATH + path;
    }

    public boolean started() {
        return context.getState() == LifecycleState.STARTED;
    }

    /** The embedded demo provider, or {@code null} when the application signs in elsewhere. */
    public DemoProvider demoProvider() {
        return demoProvider;
    }

    @Override
    public void close() throws LifecycleException {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            if (demoProvider != null) {
                demoProvider.close();
            }
        }
    }

    /** Runs the sample until interrupted: {@code mvn -pl sample-war -am -Prun package}. */
    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("port", 8080);
        int providerPort = Integer.getInteger("providerPort", 9090);
        SampleServer server = start(port, providerPort);
        System.out.println();
        System.out.println("  Expense Tracker is running: open " + server.url("/home"));
        if (server.demoProvider() != null) {
            System.out.println(
                    "  Sign in as alice (group admin), bob (group engineers), carol (no groups), erin (groups"
                            + " approver, auditor) or carl (group contractors).");
            System.out.println("  Administration page (as alice): " + server.url("/rolebridge-admin/"));
        }
        System.out.println("  Stop with Ctrl+C.");
        System.out.println();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (LifecycleException e) {
                // stopping anyway
            }
        }));
        server.tomcat.getServer().await();
    }
}
