package dev.rolebridge.sample.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Keycloak (the {@code keycloak-quarkus-dist} the build unpacked) in development mode on loopback, with a
 * realm imported at start. One host name throughout: Keycloak is reached, and names itself in its issuer and
 * cookies, as {@code http://localhost:PORT} ({@code --hostname} pinned).
 *
 * <pre>{@code
 * try (KeycloakServer keycloak = KeycloakServer.start(home, port, managementPort, realmFile, env, log)) {
 *     String discovery = keycloak.discoveryUri("expense-tracker");
 * }
 * }</pre>
 */
public final class KeycloakServer implements AutoCloseable {

    /** The first start after unpacking builds the server (20 to 60 s on two cores); then the realm import. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);

    private final Process process;
    private final int port;
    private final Path log;

    private KeycloakServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts Keycloak from {@code home} with a fresh database and {@code realmFile} imported, and waits until the
     * realm answers.
     *
     * @param environment variables the realm file's {@code ${NAME:default}} placeholders read
     * @param log where Keycloak's console output goes
     */
    public static KeycloakServer start(
            Path home, int port, int managementPort, Path realmFile, Map<String, String> environment, Path log) {
        Path script = home.resolve("bin/kc.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(
                    "no Keycloak at " + home + "; the build unpacks it in pre-integration-test");
        }
        try {
            deleteRecursively(home.resolve("data"));
            Path imports = Files.createDirectories(home.resolve("data/import"));
            Files.copy(realmFile, imports.resolve(realmFile.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(
                            "/bin/sh",
                            script.toString(),
                            "start-dev",
                            "--http-host=127.0.0.1",
                            "--http-port=" + port,
                            "--hostname=http://localhost:" + port,
                            "--http-management-port=" + managementPort,
                            "--import-realm")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            builder.environment().putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
            KeycloakServer server = new KeycloakServer(builder.start(), port, log);
            try {
                server.awaitRealm(realmName(realmFile));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String realmName(Path realmFile) throws IOException {
        String json = Files.readString(realmFile);
        var matcher = java.util.regex.Pattern.compile("\"realm\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(json);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no realm name in " + realmFile);
        }
        return matcher.group(1);
    }

    private void awaitRealm(String realm) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(discoveryUri(realm)))
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            await("Keycloak serving realm '" + realm + "'")
                    .atMost(STARTUP_TIMEOUT)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "Keycloak exited with " + process.exitValue() + ":\n" + tail());
                        }
                        try {
                            return client.send(request, HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200;
                        } catch (IOException e) {
                            return false; // not listening yet
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "Keycloak did not serve realm '" + realm + "' within " + STARTUP_TIMEOUT + ":\n" + tail(), e);
        }
    }

    /** The realm's discovery document; its issuer is {@code http://localhost:PORT/realms/REALM}. */
    public String discoveryUri(String realm) {
        return issuer(realm) + "/.well-known/openid-configuration";
    }

    public String issuer(String realm) {
        return "http://localhost:" + port + "/realms/" + realm;
    }

    /** The last lines of Keycloak's console output, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** Stops Keycloak (the launcher script and the JVM it started), forcibly after 30 seconds. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            CompletableFuture.allOf(children.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // stopped forcibly below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
