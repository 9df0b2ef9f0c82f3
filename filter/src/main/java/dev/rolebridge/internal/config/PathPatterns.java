package dev.rolebridge.internal.config;

import java.util.List;

/**
 * Servlet-style path patterns matched against the container-normalised path inside the application
 * ({@code servletPath + pathInfo}), never the raw request URI: {@code /exact/path}, {@code /prefix/*}
 * (the prefix itself and everything below it, on segment boundaries) and {@code *.extension}.
 */
public final class PathPatterns {

    private final List<String> patterns;

    PathPatterns(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    static boolean isValid(String pattern) {
        if (pattern.startsWith("*.")) {
            return pattern.length() > 2 && pattern.indexOf('*', 1) < 0 && pattern.indexOf('/') < 0;
        }
        if (!pattern.startsWith("/")) {
            return false;
        }
        int star = pattern.indexOf('*');
        return star < 0 || (star == pattern.length() - 1 && pattern.endsWith("/*"));
    }

    /**
     * Whether a normalised in-application path (starting with {@code /}) matches any pattern, extension
     * patterns included.
     */
    public boolean matches(String path) {
        return matches(path, true);
    }

    /**
     * Whether a normalised in-application path matches any pattern.
     *
     * @param extensionMapped whether the container maps the request by extension or to the default servlet;
     *     extension patterns match only then
     */
    public boolean matches(String path, boolean extensionMapped) {
        for (String p : patterns) {
            if (p.startsWith("*.")) {
                if (!extensionMapped) {
                    continue;
                }
                int slash = path.lastIndexOf('/');
                if (path.endsWith(p.substring(1)) && path.length() - slash - 1 > p.length() - 1) {
                    return true;
                }
            } else if (p.endsWith("/*")) {
                String prefix = p.substring(0, p.length() - 2);
                if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                    return true;
                }
            } else if (path.equals(p)) {
                return true;
            }
        }
        return false;
    }

    public List<String> patterns() {
        return patterns;
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
