package dev.rolebridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.web.RolebridgeFilter;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API is what README documents: the filter and its initializer, the annotation, the hook SPI and
 * its value types, the principal, the exceptions. Every other type is package-private or lives in a
 * {@code dev.rolebridge.internal} package, which carries no compatibility promise. A new public type outside
 * those packages must be added here on purpose (and to README).
 */
class PublicApiTest {

    private static final List<String> PUBLIC_API = List.of(
            "dev.rolebridge.RolebridgeException",
            "dev.rolebridge.RolebridgePrincipal",
            "dev.rolebridge.config.RolebridgeConfig",
            "dev.rolebridge.config.RolebridgeConfigurationException",
            "dev.rolebridge.sync.ClaimGroups",
            "dev.rolebridge.sync.HookContext",
            "dev.rolebridge.sync.LoginIdentity",
            "dev.rolebridge.sync.LoginIdentity$Builder",
            "dev.rolebridge.sync.MembershipDirectory",
            "dev.rolebridge.sync.MembershipSyncException",
            "dev.rolebridge.sync.MembershipSyncHook",
            "dev.rolebridge.sync.StoredMember",
            "dev.rolebridge.sync.SyncResult",
            "dev.rolebridge.sync.SyncResult$Builder",
            "dev.rolebridge.web.RolebridgeFilter",
            "dev.rolebridge.web.RolebridgeInitializer");

    @Test
    void thePublicTypesOutsideInternalPackagesAreExactlyTheDocumentedApi() throws Exception {
        assertThat(publicTypes().stream().filter(name -> !name.startsWith("dev.rolebridge.internal.")))
                .containsExactlyElementsOf(PUBLIC_API);
    }

    @Test
    void everyPackageOfTheApiOrTheInternalsSaysWhatItIsFor() throws Exception {
        Path classes = classesDirectory();
        try (Stream<Path> dirs = Files.walk(classes)) {
            List<Path> packages = dirs.filter(Files::isDirectory)
                    .filter(PublicApiTest::holdsClasses)
                    .toList();
            assertThat(packages)
                    .isNotEmpty()
                    .allSatisfy(
                            dir -> assertThat(dir.resolve("package-info.class")).exists());
        }
    }

    /** Every type the jar's classes make visible outside their package, by binary name, sorted. */
    private static List<String> publicTypes() throws IOException, URISyntaxException {
        Path classes = classesDirectory();
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(name -> !name.endsWith("package-info"))
                    .filter(PublicApiTest::isVisible)
                    .sorted()
                    .toList();
        }
    }

    private static boolean isVisible(String name) {
        try {
            Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
            for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
                if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                    return false;
                }
            }
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AssertionError("cannot load " + name, e);
        }
    }

    private static boolean holdsClasses(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(f -> f.toString().endsWith(".class"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The main classes' directory ({@code target/classes}), where the filter's class was loaded from. */
    private static Path classesDirectory() throws URISyntaxException {
        return Path.of(RolebridgeFilter.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }
}
