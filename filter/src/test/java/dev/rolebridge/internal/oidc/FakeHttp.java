package dev.rolebridge.internal.oidc;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Just enough of a servlet request, response and session for the unit tests of this package. */
final class FakeHttp {

    private FakeHttp() {}

    /** A session whose attributes live in a map; {@link #invalidate()} makes it throw as containers do. */
    static final class Session {
        final String id = UUID.randomUUID().toString();
        final Map<String, Object> attributes = new HashMap<>();
        final long createdAt;
        boolean invalid;
        final HttpSession proxy;

        Session(long createdAt) {
            this.createdAt = createdAt;
            this.proxy = (HttpSession) Proxy.newProxyInstance(
                    FakeHttp.class.getClassLoader(), new Class<?>[] {HttpSession.class}, (p, method, args) -> {
                        String name = method.getName();
                        if (name.equals("getId")) {
                            return id;
                        }
                        if (name.equals("hashCode")) {
                            return id.hashCode();
                        }
                        if (name.equals("equals")) {
                            return p == args[0];
                        }
                        if (invalid) {
                            throw new IllegalStateException("session invalidated");
                        }
                        return switch (name) {
                            case "getAttribute" -> attributes.get((String) args[0]);
                            case "setAttribute" -> attributes.put((String) args[0], args[1]);
                            case "removeAttribute" -> attributes.remove((String) args[0]);
                            case "getAttributeNames" -> Collections.enumeration(new ArrayList<>(attributes.keySet()));
                            case "getCreationTime" -> createdAt;
                            case "invalidate" -> {
                                invalid = true;
                                yield null;
                            }
                            default -> throw new UnsupportedOperationException(name);
                        };
                    });
        }

        void invalidate() {
            invalid = true;
        }
    }

    /** A request to build; {@link #proxy()} makes the servlet view of it. */
    static final class Request {
        String method = "GET";
        final Map<String, String[]> parameters = new LinkedHashMap<>();
        final Map<String, String> headers = new HashMap<>();
        final Map<String, Object> attributes = new HashMap<>();
        final List<Cookie> cookies = new ArrayList<>();
        Session session;

        Request parameter(String name, String value) {
            parameters.put(name, new String[] {value});
            return this;
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        HttpServletRequest proxy() {
            return (HttpServletRequest) Proxy.newProxyInstance(
                    FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class},
                    (p, m, args) -> switch (m.getName()) {
                        case "getMethod" -> method;
                        case "getParameter" ->
                            parameters.containsKey((String) args[0])
                                    ? parameters.get((String) args[0])[0]
                                    : null;
                        case "getParameterValues" -> parameters.get((String) args[0]);
                        case "getParameterMap" -> parameters;
                        case "getHeader" -> headers.get((String) args[0]);
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> attributes.put((String) args[0], args[1]);
                        case "removeAttribute" -> attributes.remove((String) args[0]);
                        case "getCookies" -> cookies.isEmpty() ? null : cookies.toArray(new Cookie[0]);
                        case "getContextPath" -> "/app";
                        case "getRequestURI" -> "/app/callback";
                        case "getSession" -> {
                            boolean create = args == null || (Boolean) args[0];
                            if ((session == null || session.invalid) && create) {
                                session = new Session(0);
                            }
                            yield session == null || session.invalid ? null : session.proxy;
                        }
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    /** A response that records what was set. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final List<Cookie> cookies = new ArrayList<>();
        final StringWriter body = new StringWriter();

        HttpServletResponse proxy() {
            PrintWriter writer = new PrintWriter(body, true);
            return (HttpServletResponse) Proxy.newProxyInstance(
                    FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class},
                    (p, m, args) -> switch (m.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "getStatus" -> status;
                        case "setHeader", "addHeader" -> headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                        case "addCookie" -> cookies.add((Cookie) args[0]);
                        case "getWriter" -> writer;
                        case "isCommitted" -> false;
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }
}
