package dev.rolebridge.sample;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;

/**
 * The sample application as Maven built it (the exploded WAR under {@code target/}) in an embedded Tomcat,
 * signed in through an embedded OpenID provider with a demo login page, or through any provider named by
 * {@code OIDC_DISCOVERY_URI}, {@code OIDC_CLIENT_ID} and {@code OIDC_CLIENT_SECRET}.
 */
public final class SampleServer implements AutoCloseable {

    static final String CONTEXT_PATH = "/expenses";

    private final MockOAuth2Server provider;
    private final Tomcat tomcat;
    private final Context context;
    private final int port;

    private SampleServer(MockOAuth2Server provider, Tomcat tomcat, Context context, int port) {
        this.provider = provider;
        this.tomcat = tomcat;
        this.context = context;
        this.port = port;
    }

    /** Starts the provider (unless one is configured by environment) and the application on {@code port}. */
    public static SampleServer start(int port, int providerPort) throws IOException, LifecycleException {
        MockOAuth2Server provider = null;
        String discovery = System.getenv("OIDC_DISCOVERY_URI");
        if (discovery == null || discovery.isBlank()) {
            Path loginPage = Files.createTempFile("rolebridge-demo-login", ".html");
            try (InputStream in = SampleServer.class.getResourceAsStream("/demo-login.html")) {
                Files.copy(in, loginPage, StandardCopyOption.REPLACE_EXISTING);
            }
            String json = "{\"interactiveLogin\":true,\"loginPagePath\":\"" + loginPage.toString().replace("\\", "/") + "\"}";
            provider = new MockOAuth2Server(OAuth2Config.Companion.fromJson(json));
            provider.start(providerPort);
            discovery = provider.wellKnownUrl("default").toString();
        } else {
            setIfPresent("rolebridge.sample.clientId", System.getenv("OIDC_CLIENT_ID"));
            setIfPresent("rolebridge.sample.clientSecret", System.getenv("OIDC_CLIENT_SECRET"));
        }
        System.setProperty("rolebridge.sample.discoveryUri", discovery);
        System.setProperty("rolebridge.sample.callbackUrl", "http://localhost:" + port + CONTEXT_PATH + "/callback");

        File base = Files.createTempDirectory("rolebridge-sample").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        tomcat.setPort(port);
        tomcat.getConnector();
        tomcat.setAddDefaultWebXmlToWebapp(false); // the sample has no JSPs: no Jasper needed
        Context context = tomcat.addWebapp(CONTEXT_PATH, explodedWar().getAbsolutePath());
        Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet").setLoadOnStartup(1);
        context.addServletMappingDecoded("/", "default");
        tomcat.start();
        if (context.getState() != LifecycleState.STARTED) {
            tomcat.stop();
            if (provider != null) {
                provider.shutdown();
            }
            throw new IllegalStateException("the sample application did not start; see the log above");
        }
        return new SampleServer(provider, tomcat, context, port);
    }

    private static void setIfPresent(String property, String value) {
        if (value != null && !value.isBlank()) {
            System.setProperty(property, value);
        }
    }

    private static File explodedWar() {
        File target = new File(System.getProperty("rolebridge.sample.war", "target/rolebridge-sample"));
        if (!new File(target, "WEB-INF/web.xml").isFile()) {
            throw new IllegalStateException("no exploded WAR at " + target.getAbsolutePath()
                    + "; build it first (mvn package)");
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

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
        if (provider != null) {
            provider.shutdown();
        }
    }

    /** Runs the sample until interrupted: {@code mvn -pl sample-war -am -Prun package}. */
    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("port", 8080);
        int providerPort = Integer.getInteger("providerPort", 9090);
        SampleServer server = start(port, providerPort);
        System.out.println();
        System.out.println("  Expense Tracker is running: open " + server.url("/home"));
        System.out.println("  Sign in as alice (group admin), bob (group engineers) or carol (no groups).");
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
