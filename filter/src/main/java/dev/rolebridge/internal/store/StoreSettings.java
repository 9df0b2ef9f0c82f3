package dev.rolebridge.internal.store;

import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.config.Parameter;
import dev.rolebridge.internal.config.ParameterReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where memberships live: the application's {@code DataSource} by JNDI name, a JDBC URL, or (neither set)
 * an embedded H2 file database in {@code embeddedDirectory}.
 *
 * <pre>{@code
 * <init-param>
 *   <param-name>dataSource</param-name>
 *   <param-value>java:comp/env/jdbc/legacy</param-value>
 * </init-param>
 * }</pre>
 *
 * <table>
 *   <caption>Database parameters</caption>
 *   <tr><th>name</th><th>value</th></tr>
 *   <tr><td>dataSource</td><td>JNDI name of the application's (pooled) {@code DataSource}; a name without
 *       {@code java:} is also tried under {@code java:comp/env/}</td></tr>
 *   <tr><td>jdbcUrl</td><td>a JDBC URL; Rolebridge opens a connection per transaction, so the database may
 *       restart without the application; the driver must be on the class path</td></tr>
 *   <tr><td>jdbcUser, jdbcPassword</td><td>credentials for {@code jdbcUrl}</td></tr>
 * </table>
 * With none of them set, memberships go to an H2 database file {@code rolebridge.mv.db} in the container's
 * work directory for the application; it survives restarts but serves one application node only.
 *
 * @param dataSourceJndiName the JNDI name of a {@code DataSource}, or {@code null}
 * @param jdbcUrl a JDBC URL, or {@code null}
 * @param jdbcUser the user for {@code jdbcUrl}, or {@code null}
 * @param jdbcPassword the password for {@code jdbcUrl}, or {@code null}; never printed
 * @param embeddedDirectory the directory of the embedded database; used when neither of the others is set
 * @param jdbcPoolSize the most connections the pool for {@code jdbcUrl} holds
 */
public record StoreSettings(
        String dataSourceJndiName,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        Path embeddedDirectory,
        int jdbcPoolSize) {

    /** The pool size for {@code jdbcUrl} when {@code jdbcPoolSize} is not set. */
    public static final int DEFAULT_POOL_SIZE = 10;

    /** The largest {@code jdbcPoolSize}. */
    public static final int MAX_POOL_SIZE = 200;

    /** Settings with the default pool size. */
    public StoreSettings(
            String dataSourceJndiName, String jdbcUrl, String jdbcUser, String jdbcPassword, Path embeddedDirectory) {
        this(dataSourceJndiName, jdbcUrl, jdbcUser, jdbcPassword, embeddedDirectory, DEFAULT_POOL_SIZE);
    }

    /** The file name, without H2's {@code .mv.db}, of the embedded database in {@code embeddedDirectory}. */
    public static final String EMBEDDED_DATABASE_NAME = "rolebridge";

    private static final Pattern URL_SECRET = Pattern.compile("(?i)((?:password|pwd)=)[^&;]*");

    /**
     * Validates a combination; see {@link #fromParameters} for the rules.
     *
     * @throws RolebridgeConfigurationException listing every problem
     */
    public StoreSettings {
        dataSourceJndiName = blankToNull(dataSourceJndiName);
        jdbcUrl = blankToNull(jdbcUrl);
        jdbcUser = blankToNull(jdbcUser);
        jdbcPassword = jdbcPassword == null || jdbcPassword.isBlank() ? null : jdbcPassword;
        List<String> problems = problems(dataSourceJndiName, jdbcUrl, jdbcUser, jdbcPassword);
        if (!problems.isEmpty()) {
            throw new RolebridgeConfigurationException(problems);
        }
    }

    private static List<String> problems(
            String dataSourceJndiName, String jdbcUrl, String jdbcUser, String jdbcPassword) {
        List<String> problems = new ArrayList<>();
        if (dataSourceJndiName != null && jdbcUrl != null) {
            problems.add("dataSource: '" + dataSourceJndiName
                    + "' expected to be the only database setting, but jdbcUrl '" + redact(jdbcUrl)
                    + "' is set too; set dataSource (the application's DataSource) or jdbcUrl, not both");
        }
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:")) {
            problems.add("jdbcUrl: '" + redact(jdbcUrl) + "' expected a JDBC URL starting with 'jdbc:', e.g."
                    + " 'jdbc:postgresql://db.example.com/app'");
        }
        if (jdbcUser != null && jdbcUrl == null) {
            problems.add("jdbcUser: '" + jdbcUser + "' expected only together with jdbcUrl"
                    + (dataSourceJndiName != null
                            ? "; a DataSource brings its own credentials"
                            : ", which is not set"));
        }
        if (jdbcPassword != null && jdbcUrl == null) {
            problems.add("jdbcPassword: (value hidden) expected only together with jdbcUrl"
                    + (dataSourceJndiName != null
                            ? "; a DataSource brings its own credentials"
                            : ", which is not set"));
        }
        return problems;
    }

    /**
     * Reads the database parameters from the filter's one parameter reader, adding every problem to it (see
     * {@link #fromParameters} for the rules).
     *
     * @return the settings, or {@code null} when they have problems (the reader lists them)
     */
    public static StoreSettings read(ParameterReader parameters, Path embeddedDirectory) {
        String dataSource = parameters.text(Parameter.DATA_SOURCE).orElse(null);
        String url = parameters.text(Parameter.JDBC_URL).orElse(null);
        String user = parameters.text(Parameter.JDBC_USER).orElse(null);
        String password = parameters.text(Parameter.JDBC_PASSWORD).orElse(null);
        int before = parameters.problems().size();
        int poolSize =
                parameters.integer(Parameter.JDBC_POOL_SIZE, 1, MAX_POOL_SIZE).orElse(DEFAULT_POOL_SIZE);
        List<String> problems = problems(dataSource, url, user, password);
        if (parameters.isSet(Parameter.JDBC_POOL_SIZE) && url == null) {
            problems.add("jdbcPoolSize: '"
                    + parameters.text(Parameter.JDBC_POOL_SIZE).orElseThrow()
                    + "' expected only together with jdbcUrl"
                    + (dataSource != null ? "; a DataSource brings its own pool" : ", which is not set"));
        }
        parameters.problems(problems);
        if (parameters.problems().size() > before) {
            return null;
        }
        return new StoreSettings(dataSource, url, user, password, embeddedDirectory, poolSize);
    }

    /**
     * Reads the database parameters ({@code dataSource}, {@code jdbcUrl}, {@code jdbcUser},
     * {@code jdbcPassword}) from already-resolved filter parameters; blank values count as absent and other
     * parameters are ignored. Refused: both {@code dataSource} and {@code jdbcUrl}; {@code jdbcUser} or
     * {@code jdbcPassword} without {@code jdbcUrl}; a {@code jdbcUrl} not starting with {@code jdbc:}.
     *
     * @param embeddedDirectory where the embedded database goes when neither {@code dataSource} nor
     *     {@code jdbcUrl} is set (the container's work directory for the application)
     * @throws RolebridgeConfigurationException listing every problem
     */
    public static StoreSettings fromParameters(Map<String, String> parameters, Path embeddedDirectory) {
        Objects.requireNonNull(parameters, "parameters");
        return new StoreSettings(
                parameters.get(Parameter.DATA_SOURCE.paramName()),
                parameters.get(Parameter.JDBC_URL.paramName()),
                parameters.get(Parameter.JDBC_USER.paramName()),
                parameters.get(Parameter.JDBC_PASSWORD.paramName()),
                embeddedDirectory);
    }

    /** The embedded H2 file database in {@code directory}. */
    public static StoreSettings embedded(Path directory) {
        return new StoreSettings(null, null, null, null, Objects.requireNonNull(directory, "directory"));
    }

    /** A database reached through JDBC's {@code DriverManager}, one connection per transaction. */
    public static StoreSettings jdbc(String url, String user, String password) {
        return new StoreSettings(null, Objects.requireNonNull(url, "url"), user, password, null);
    }

    /** The application's {@code DataSource}, looked up in JNDI. */
    public static StoreSettings dataSource(String jndiName) {
        return new StoreSettings(Objects.requireNonNull(jndiName, "jndiName"), null, null, null, null);
    }

    /** Whether neither a {@code DataSource} nor a JDBC URL is set, so the embedded database is used. */
    public boolean isEmbedded() {
        return dataSourceJndiName == null && jdbcUrl == null;
    }

    /** The embedded database's file, as H2 names it. */
    public Path embeddedDatabaseFile() {
        Objects.requireNonNull(embeddedDirectory, "embeddedDirectory");
        return embeddedDirectory.toAbsolutePath().resolve(EMBEDDED_DATABASE_NAME + ".mv.db");
    }

    /** Never shows the password, nor one inside the JDBC URL. */
    @Override
    public String toString() {
        return "StoreSettings[dataSource=" + dataSourceJndiName + ", jdbcUrl="
                + (jdbcUrl == null ? null : redact(jdbcUrl))
                + ", jdbcUser=" + jdbcUser + ", jdbcPassword=" + (jdbcPassword == null ? null : "(hidden)")
                + ", embeddedDirectory=" + embeddedDirectory + ", jdbcPoolSize=" + jdbcPoolSize + "]";
    }

    /** The URL with the values of {@code password=} and {@code pwd=} hidden, for messages and logs. */
    static String redact(String url) {
        return URL_SECRET.matcher(url).replaceAll("$1****");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
