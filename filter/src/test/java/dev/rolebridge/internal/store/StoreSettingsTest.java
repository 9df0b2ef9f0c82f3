package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.config.ParameterReader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    private static final Path WORK = Path.of("/var/lib/tomcat/work/app");

    @Test
    void fromParametersWhenNoDatabaseIsSetThenTheEmbeddedDatabaseInTheWorkDirectory() {
        StoreSettings settings = StoreSettings.fromParameters(Map.of("clientId", "app", "jdbcUrl", " "), WORK);

        assertThat(settings.isEmbedded()).isTrue();
        assertThat(settings.embeddedDatabaseFile()).isEqualTo(WORK.resolve("rolebridge.mv.db"));
    }

    @Test
    void fromParametersReadsDataSourceOrJdbcUrlWithCredentials() {
        assertThat(StoreSettings.fromParameters(Map.of("dataSource", "jdbc/app"), WORK)
                        .dataSourceJndiName())
                .isEqualTo("jdbc/app");
        StoreSettings jdbc = StoreSettings.fromParameters(
                Map.of("jdbcUrl", "jdbc:postgresql://db/app", "jdbcUser", "app", "jdbcPassword", " s3cret "), WORK);
        assertThat(jdbc.isEmbedded()).isFalse();
        assertThat(jdbc.jdbcUrl()).isEqualTo("jdbc:postgresql://db/app");
        assertThat(jdbc.jdbcUser()).isEqualTo("app");
        assertThat(jdbc.jdbcPassword()).isEqualTo(" s3cret ");
    }

    @Test
    void fromParametersWhenBothDataSourceAndJdbcUrlAreSetThenRefusedNamingBoth() {
        assertThatThrownBy(() -> StoreSettings.fromParameters(
                        Map.of("dataSource", "jdbc/app", "jdbcUrl", "jdbc:postgresql://db/app"), WORK))
                .isInstanceOfSatisfying(
                        RolebridgeConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "dataSource: 'jdbc/app' expected to be the only database setting, but jdbcUrl"
                                                + " 'jdbc:postgresql://db/app' is set too; set dataSource (the application's DataSource)"
                                                + " or jdbcUrl, not both"));
    }

    @Test
    void fromParametersWhenCredentialsComeWithoutJdbcUrlThenEachIsReportedAndThePasswordIsHidden() {
        assertThatThrownBy(
                        () -> StoreSettings.fromParameters(Map.of("jdbcUser", "bob", "jdbcPassword", "hunter2"), WORK))
                .isInstanceOfSatisfying(RolebridgeConfigurationException.class, e -> {
                    assertThat(e.problems())
                            .containsExactly(
                                    "jdbcUser: 'bob' expected only together with jdbcUrl, which is not set",
                                    "jdbcPassword: (value hidden) expected only together with jdbcUrl, which is not set");
                    assertThat(e.getMessage()).doesNotContain("hunter2");
                });
    }

    @Test
    void fromParametersWhenJdbcUrlIsNotAJdbcUrlThenRefusedWithoutShowingItsPassword() {
        assertThatThrownBy(() -> StoreSettings.fromParameters(
                        Map.of("jdbcUrl", "postgres://db/app?user=a&password=hunter2"), WORK))
                .isInstanceOf(RolebridgeConfigurationException.class)
                .hasMessageContaining(
                        "jdbcUrl: 'postgres://db/app?user=a&password=****' expected a JDBC URL starting with 'jdbc:'")
                .message()
                .doesNotContain("hunter2");
    }

    @Test
    void toStringNeverShowsPasswords() {
        StoreSettings settings = StoreSettings.jdbc("jdbc:mariadb://db/app?password=hunter2", "app", "s3cret");

        assertThat(settings.toString())
                .doesNotContain("hunter2")
                .doesNotContain("s3cret")
                .contains("password=****");
    }

    @Test
    void jdbcPoolSizeSizesThePoolOfJdbcUrlAndDefaultsToTen() {
        ParameterReader sized =
                ParameterReader.ofResolved(Map.of("jdbcUrl", "jdbc:postgresql://db/app", "jdbcPoolSize", "25"));
        ParameterReader unsized = ParameterReader.ofResolved(Map.of("jdbcUrl", "jdbc:postgresql://db/app"));

        assertThat(StoreSettings.read(sized, Path.of("/work")).jdbcPoolSize()).isEqualTo(25);
        assertThat(StoreSettings.read(unsized, Path.of("/work")).jdbcPoolSize()).isEqualTo(10);
    }

    @Test
    void jdbcPoolSizeOutOfRangeOrWithoutJdbcUrlIsAProblemNamingIt() {
        ParameterReader zero =
                ParameterReader.ofResolved(Map.of("jdbcUrl", "jdbc:postgresql://db/app", "jdbcPoolSize", "0"));
        ParameterReader alone = ParameterReader.ofResolved(Map.of("dataSource", "jdbc/app", "jdbcPoolSize", "5"));

        assertThat(StoreSettings.read(zero, Path.of("/work"))).isNull();
        assertThat(zero.problems()).containsExactly("jdbcPoolSize: '0' expected a whole number from 1 to 200");
        assertThat(StoreSettings.read(alone, Path.of("/work"))).isNull();
        assertThat(alone.problems())
                .containsExactly(
                        "jdbcPoolSize: '5' expected only together with jdbcUrl; a DataSource brings its own pool");
    }
}
