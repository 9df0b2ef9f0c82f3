package dev.rolebridge.internal.config;

import java.security.MessageDigest;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The administration page's configuration, present only when {@code adminPath} is set: where the page and its
 * JSON API are served, the role a signed-in user needs ({@code adminRole}, by default the highest role of
 * {@code rolePriority}), the SHA-256 digest of the optional bearer token for automation ({@code adminToken},
 * given as {@code scimToken} is), and whether manual changes to the groups that sync manages are refused
 * ({@code lockSyncedGroups}).
 */
public final class AdminSettings {

    private final String path;
    private final String role;
    private final byte[] tokenDigest;
    private final boolean lockSyncedGroups;

    AdminSettings(String path, String role, byte[] tokenDigest, boolean lockSyncedGroups) {
        this.path = Objects.requireNonNull(path, "path");
        this.role = Objects.requireNonNull(role, "role");
        this.tokenDigest = tokenDigest == null ? null : tokenDigest.clone();
        this.lockSyncedGroups = lockSyncedGroups;
    }

    /** The path inside the application the page is served under ({@code adminPath}); the API lies below it. */
    public String path() {
        return path;
    }

    /** The role a signed-in user needs to use the page and the API ({@code adminRole}). */
    public String role() {
        return role;
    }

    /** Whether manual membership changes to groups that logins or SCIM manage are refused. */
    public boolean lockSyncedGroups() {
        return lockSyncedGroups;
    }

    /** Whether an {@code adminToken} is configured, so that automation may call the API without a session. */
    public boolean hasToken() {
        return tokenDigest != null;
    }

    /** Whether {@code presented} is the configured {@code adminToken}, compared in constant time through the digests. */
    public boolean acceptsToken(String presented) {
        return tokenDigest != null
                && presented != null
                && MessageDigest.isEqual(ScimSettings.sha256(presented), tokenDigest);
    }

    /** Whether a request's path inside the application is the page's or lies below it. */
    public boolean covers(String pathInApplication) {
        return pathInApplication.equals(path) || pathInApplication.startsWith(path + "/");
    }

    /** Never shows the digest. */
    @Override
    public String toString() {
        return "AdminSettings[path=" + path + ", role=" + role + ", token=" + hasToken() + ", lockSyncedGroups="
                + lockSyncedGroups + "]";
    }

    /**
     * Reads {@code adminPath}, {@code adminRole}, {@code adminToken} and {@code lockSyncedGroups}; {@code null}
     * (the page off) when {@code adminPath} is not set. Problems go to {@code params}.
     *
     * @param reservedPaths the filter's own paths and the SCIM path, which the page may neither take nor contain
     * @param roles the roles that exist (ranked, declared and granted), one of which {@code adminRole} must name
     * @param highestRole the highest role of {@code rolePriority}, the default {@code adminRole}
     */
    static AdminSettings read(
            ParameterReader params, Collection<String> reservedPaths, List<String> roles, String highestRole) {
        boolean lock = params.bool(Parameter.LOCK_SYNCED_GROUPS).orElse(false);
        String role = params.text(Parameter.ADMIN_ROLE).orElse(highestRole);
        if (params.isWritten(Parameter.ADMIN_ROLE) && role != null && !roles.contains(role)) {
            params.problem(
                    Parameter.ADMIN_ROLE,
                    "names no role; the roles are those of rolePriority, the application's declared roles and"
                            + " groupRoles: " + roles);
        }
        byte[] digest = ScimSettings.tokenDigest(params, Parameter.ADMIN_TOKEN);
        if (!params.isWritten(Parameter.ADMIN_PATH)) {
            if (params.isWritten(Parameter.ADMIN_TOKEN) || params.isWritten(Parameter.ADMIN_ROLE)) {
                params.problem(
                        params.isWritten(Parameter.ADMIN_TOKEN) ? Parameter.ADMIN_TOKEN : Parameter.ADMIN_ROLE,
                        "has no effect without adminPath, which switches the administration page on");
            }
            return null;
        }
        String path = params.text(Parameter.ADMIN_PATH).orElse(null);
        if (path == null) {
            return null; // its placeholder did not resolve, which is reported already
        }
        boolean pathOk = ScimSettings.isPathInApplication(path);
        if (!pathOk) {
            params.problem(
                    Parameter.ADMIN_PATH,
                    "expected a path inside the application starting with '/', e.g. '/rolebridge-admin'");
            return null;
        }
        for (String reserved : reservedPaths) {
            if (reserved != null
                    && (reserved.equals(path) || reserved.startsWith(path + "/") || path.startsWith(reserved + "/"))) {
                params.problem(
                        Parameter.ADMIN_PATH,
                        "must neither contain nor lie below the callback, logout, back-channel logout or SCIM path ('"
                                + reserved + "')");
                return null;
            }
        }
        return role == null ? null : new AdminSettings(path, role, digest, lock);
    }
}
