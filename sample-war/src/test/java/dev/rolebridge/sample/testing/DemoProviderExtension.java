package dev.rolebridge.sample.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link DemoProvider} per test run, before Arquillian starts a container or deploys, and tells the
 * application where it is. Register it ahead of {@code ArquillianExtension}:
 *
 * <pre>{@code
 * @ExtendWith(DemoProviderExtension.class)
 * @ExtendWith(ArquillianExtension.class)
 * }</pre>
 *
 * <p>The ports come from the build ({@code rolebridge.it.providerPort}, {@code rolebridge.it.httpPort}): a
 * managed server is started with the same values as JVM arguments in {@code arquillian.xml}; an embedded one
 * reads the system properties set here. Test methods receive the provider as a parameter.
 */
public final class DemoProviderExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DemoProvider.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        provider(context);
    }

    private static DemoProvider provider(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        DemoProvider.class,
                        type -> {
                            DemoProvider provider = DemoProvider.start(TestPorts.provider());
                            System.setProperty("rolebridge.sample.discoveryUri", provider.discoveryUri());
                            System.setProperty("rolebridge.sample.clientId", DemoProvider.CLIENT_ID);
                            System.setProperty("rolebridge.sample.clientSecret", DemoProvider.CLIENT_SECRET);
                            System.setProperty("rolebridge.sample.callbackUrl", TestPorts.applicationUrl("/callback"));
                            return provider;
                        },
                        DemoProvider.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DemoProvider.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return provider(context);
    }
}
