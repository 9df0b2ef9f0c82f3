package dev.rolebridge.sample.testing;

/**
 * The loopback ports of a container test run, reserved by the build (build-helper's reserve-network-port) and
 * passed as system properties, so the provider, the application's callback URL and {@code arquillian.xml} agree.
 */
public final class TestPorts {

    /** The context path every container gives the sample: the archive is deployed as {@code expenses.war}. */
    public static final String CONTEXT_PATH = "/expenses";

    private TestPorts() {}

    public static int provider() {
        return Integer.getInteger("rolebridge.it.providerPort", 18090);
    }

    public static int http() {
        return Integer.getInteger("rolebridge.it.httpPort", 18080);
    }

    /** The application's absolute URL for {@code path}, on the host name the provider redirects back to. */
    public static String applicationUrl(String path) {
        return "http://localhost:" + http() + CONTEXT_PATH + path;
    }
}
