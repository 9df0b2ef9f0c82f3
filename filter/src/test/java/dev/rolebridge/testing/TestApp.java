package dev.rolebridge.testing;

import dev.rolebridge.web.RolebridgeFilter;
import jakarta.servlet.ServletContainerInitializer;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A web application in a real embedded Tomcat 10.1 at {@code /app}: the Rolebridge filter on {@code /*}
 * configured as {@code web.xml} init-params would configure it, in front of {@link WhoAmIServlet} (mapped as the
 * default servlet {@code /} and at the prefix {@code /api/*}).
 */
public final class TestApp implements AutoCloseable {

    public static final String CONTEXT_PATH = "/app";

    private final Tomcat tomcat;
    private final Context context;
    private final int port;
    private final List<String> containerLog;
    private final Handler logHandler;
    private final String contextPath;
    private Map<String, String> initParams;
    private java.util.function.Consumer<Context> extra;
    private File base;

    private TestApp(Tomcat tomcat, Context context, int port, List<String> containerLog, Handler logHandler) {
        this.contextPath = context.getPath();
        this.tomcat = tomcat;
        this.context = context;
        this.port = port;
        this.containerLog = containerLog;
        this.logHandler = logHandler;
    }

    /** A free port to configure the callback URL with before the container starts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String callbackUrl(int port) {
        return callbackUrl(port, CONTEXT_PATH);
    }

    /** The callback URL of an application at {@code contextPath} on {@code port}. */
    public static String callbackUrl(int port, String contextPath) {
        return "http://localhost:" + port + contextPath + "/callback";
    }

    /** Starts the application on a free port with the filter configured for {@code provider}. */
    public static TestApp signingInAt(TestProvider provider) {
        return signingInAt(provider, params -> {});
    }

    /**
     * Starts the application on a free port with the filter configured for {@code provider} and then changed by
     * {@code changes}, e.g. {@code signingInAt(provider, params -> params.put("syncHook", name))}.
     */
    public static TestApp signingInAt(TestProvider provider, java.util.function.Consumer<Map<String, String>> changes) {
        int port = freePort();
        Map<String, String> params = provider.filterParameters(port);
        changes.accept(params);
        return withFilter(port, params);
    }

    /** Starts the application with the filter declared with these init-params. */
    public static TestApp withFilter(int port, Map<String, String> initParams) {
        return start(port, initParams, null);
    }

    /** Starts the application with the filter declared with these init-params, and the context changed by {@code extra}. */
    public static TestApp withFilter(
            int port, Map<String, String> initParams, java.util.function.Consumer<Context> extra) {
        return start(port, initParams, extra);
    }

    /** Starts the application with no filter declared, letting an initializer register it. */
    public static TestApp withInitializer(int port, ServletContainerInitializer initializer, Class<?> annotated) {
        return start(port, null, context -> context.addServletContainerInitializer(initializer, Set.of(annotated)));
    }

    /**
     * Starts the application with the filter declared, the {@code files} of a WAR laid out under its document
     * root (e.g. {@code WEB-INF/web.xml}, a jar in {@code WEB-INF/lib}), and Rolebridge's initializer handed
     * {@code scanned}, the classes a container's annotation scan would find.
     */
    public static TestApp withDeployment(
            int port,
            Map<String, String> initParams,
            Map<String, byte[]> files,
            ServletContainerInitializer initializer,
            Set<Class<?>> scanned) {
        return start(port, initParams, context -> {
            try {
                for (Map.Entry<String, byte[]> file : files.entrySet()) {
                    java.nio.file.Path target =
                            java.nio.file.Path.of(context.getDocBase()).resolve(file.getKey());
                    Files.createDirectories(target.getParent());
                    Files.write(target, file.getValue());
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            context.addServletContainerInitializer(initializer, scanned);
        });
    }

    private static TestApp start(int port, Map<String, String> initParams, java.util.function.Consumer<Context> extra) {
        try {
            return start(
                    port,
                    initParams,
                    extra,
                    Files.createTempDirectory("rolebridge-tomcat").toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestApp start(
            int port, Map<String, String> initParams, java.util.function.Consumer<Context> extra, File base) {
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler handler = logHandler(log);
        Logger.getLogger("org.apache.catalina").addHandler(handler);
        try {
            Tomcat tomcat = tomcat(port, base);
            File docBase = new File(base, "docs");
            docBase.mkdirs();
            Context context = tomcat.addContext(CONTEXT_PATH, docBase.getAbsolutePath());
            org.apache.catalina.session.StandardManager manager = new org.apache.catalina.session.StandardManager();
            manager.setPathname("SESSIONS.ser"); // persisted across restarts, as Tomcat does by default
            context.setManager(manager);
            if (initParams != null) {
                FilterDef def = new FilterDef();
                def.setFilterName("rolebridge");
                def.setFilterClass(RolebridgeFilter.class.getName());
                initParams.forEach(def::addInitParameter);
                context.addFilterDef(def);
                FilterMap map = new FilterMap();
                map.setFilterName("rolebridge");
                map.addURLPattern("/*");
                context.addFilterMap(map);
                if (extra == null) { // withDeployment hands the initializer the classes a scan would find
                    // as in a deployment, where the jar's META-INF/services runs it for every application
                    context.addServletContainerInitializer(new dev.rolebridge.web.RolebridgeInitializer(), null);
                }
            }
            if (extra != null) {
                extra.accept(context);
            }
            Tomcat.addServlet(context, "whoami", new WhoAmIServlet()).addMapping("/");
            // a prefix mapping, as legacy REST servlets have
            Tomcat.addServlet(context, "api", new WhoAmIServlet()).addMapping("/api/*");
            tomcat.start();
            TestApp app = new TestApp(tomcat, context, port, log, handler);
            app.initParams = initParams;
            app.extra = extra;
            app.base = base;
            return app;
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops this container and starts another on the same port and directories, as a container restart does:
     * Tomcat's session manager writes the sessions out on the way down and the new one restores them; the
     * filter is created anew.
     */
    public TestApp restarted() {
        close();
        return start(port, initParams, extra, base);
    }

    /**
     * Starts a web application from a document root laid out as a WAR ({@code files}, e.g.
     * {@code WEB-INF/web.xml}), deployed as Tomcat deploys one: {@code web.xml} is read (filters, servlets,
     * security constraints, login-config), initializers are discovered (Rolebridge's among them) and the
     * authenticator is configured. The class path is not scanned for annotations.
     */
    public static TestApp webapp(int port, Map<String, byte[]> files) {
        return webapp(port, CONTEXT_PATH, files);
    }

    /** As {@link #webapp(int, Map)}, at another context path (the filter's callbackUrl must match it). */
    public static TestApp webapp(int port, String contextPath, Map<String, byte[]> files) {
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler handler = logHandler(log);
        Logger.getLogger("org.apache.catalina").addHandler(handler);
        try {
            File base = Files.createTempDirectory("rolebridge-tomcat").toFile();
            Tomcat tomcat = tomcat(port, base);
            tomcat.setAddDefaultWebXmlToWebapp(false);
            File docBase = new File(base, "docs");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                java.nio.file.Path target = docBase.toPath().resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            Context context = tomcat.addWebapp(contextPath, docBase.getAbsolutePath());
            org.apache.tomcat.util.scan.StandardJarScanner scanner =
                    new org.apache.tomcat.util.scan.StandardJarScanner();
            scanner.setScanClassPath(false);
            context.setJarScanner(scanner);
            tomcat.start();
            return new TestApp(tomcat, context, port, log, handler);
        } catch (IOException | LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An attribute of the application's servlet context. */
    public Object contextAttribute(String name) {
        return context.getServletContext().getAttribute(name);
    }

    /** A Tomcat on loopback at {@code port}, in {@code base}. */
    private static Tomcat tomcat(int port, File base) {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        tomcat.setPort(port);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        return tomcat;
    }

    private static Handler logHandler(List<String> log) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getThrown() != null) {
                    log.add(record.getThrown().getMessage());
                }
                log.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
    }

    public String url(String path) {
        return "http://localhost:" + port + contextPath + path;
    }

    /** Whether the web application started (a filter that fails init stops it). */
    public boolean started() {
        return context.getState() == LifecycleState.STARTED;
    }

    /**
     * The sessions Tomcat's manager wrote when this container stopped ({@code SESSIONS.ser}), as bytes; empty when
     * it wrote none. Call after {@link #close()}.
     */
    public byte[] persistedSessions() {
        try (var files = Files.walk(base.toPath())) {
            java.util.Optional<java.nio.file.Path> written = files.filter(
                            f -> f.getFileName().toString().equals("SESSIONS.ser"))
                    .findFirst();
            return written.isPresent() ? Files.readAllBytes(written.get()) : new byte[0];
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the container logged, one message a line, including the messages of logged exceptions. */
    public String containerLog() {
        return String.join("\n", containerLog);
    }

    @Override
    public void close() {
        Logger.getLogger("org.apache.catalina").removeHandler(logHandler);
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }
}
