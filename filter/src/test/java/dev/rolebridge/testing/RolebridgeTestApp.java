package dev.rolebridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up the filter's integration tests share, as a JUnit 5 extension: before a test class's tests it starts
 * an OpenID provider and a {@link TestApp} in a real Tomcat with the Rolebridge filter configured for it, and it
 * stops both after them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RolebridgeTestApp<ScriptedProvider> app = RolebridgeTestApp.with(ScriptedProvider::new)
 *         .param("excludedPaths", "/public/*");
 *
 * @Test
 * void signsIn() {
 *     assertThat(new Browser().open(app.url("/me")).body()).contains("remoteUser=scripted-user");
 * }
 * }</pre>
 *
 * <p>The application runs on a free port with the provider's {@linkplain TestProvider#filterParameters filter
 * parameters} and the class's own {@link #param}s; a class that deploys it otherwise (from a {@code web.xml}, at
 * another context path) says how with {@link #deployedAs}. The application must start: a filter that refuses its
 * configuration fails the class, with what the container logged. Tests that need an application of their own
 * start it with {@link TestApp#signingInAt} and close it themselves.
 */
public final class RolebridgeTestApp<P extends TestProvider> implements BeforeAllCallback, AfterAllCallback {

    /** Starts the class's application on {@code port}, with the filter configured by {@code parameters}. */
    @FunctionalInterface
    public interface Deployment {
        TestApp start(int port, Map<String, String> parameters);
    }

    private final Supplier<P> providerFactory;
    private final Map<String, String> params = new LinkedHashMap<>();
    private String contextPath = TestApp.CONTEXT_PATH;
    private Deployment deployment = TestApp::withFilter;
    private P provider;
    private TestApp app;

    private RolebridgeTestApp(Supplier<P> providerFactory) {
        this.providerFactory = Objects.requireNonNull(providerFactory, "providerFactory");
    }

    /**
     * The provider that {@code provider} starts, and an application at {@code /app} with the filter in front of
     * {@link WhoAmIServlet} ({@link TestApp#withFilter}).
     */
    public static <P extends TestProvider> RolebridgeTestApp<P> with(Supplier<P> provider) {
        return new RolebridgeTestApp<>(provider);
    }

    /** Sets one of the filter's init-params, over the provider's. */
    public RolebridgeTestApp<P> param(String name, String value) {
        params.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Deploys the application at {@code /app} as {@code deployment} does. */
    public RolebridgeTestApp<P> deployedAs(Deployment deployment) {
        return deployedAs(TestApp.CONTEXT_PATH, deployment);
    }

    /** Deploys the application at {@code contextPath} as {@code deployment} does; the callback URL points there. */
    public RolebridgeTestApp<P> deployedAs(String contextPath, Deployment deployment) {
        this.contextPath = Objects.requireNonNull(contextPath, "contextPath");
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        provider = providerFactory.get();
        int port = TestApp.freePort();
        Map<String, String> parameters = provider.filterParameters(port);
        parameters.put("callbackUrl", TestApp.callbackUrl(port, contextPath));
        parameters.putAll(params);
        app = deployment.start(port, parameters);
        assertThat(app.started())
                .as("the application started; the container logged:%n%s", app.containerLog())
                .isTrue();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (provider != null) {
                provider.close();
            }
            app = null;
            provider = null;
        }
    }

    public P provider() {
        if (provider == null) {
            throw new IllegalStateException("the provider runs only while the test class does");
        }
        return provider;
    }

    public TestApp app() {
        if (app == null) {
            throw new IllegalStateException("the application runs only while the test class does");
        }
        return app;
    }

    /** The absolute URL of {@code path} in the application, e.g. {@code url("/me")}. */
    public String url(String path) {
        return app().url(path);
    }
}
