package dev.rolebridge.web;

import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.ServletContext;
import jakarta.servlet.annotation.HttpMethodConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * What a web application declares about its security, learned once at start-up: its security constraints
 * (whether the container must authenticate some requests), its {@code <login-config>}, and its roles, each
 * with where it was found:
 * {@code <security-role>} and the role names of {@code <auth-constraint>} in {@code WEB-INF/web.xml} and the
 * {@code web-fragment.xml} of the jars in {@code WEB-INF/lib}, and {@code @DeclareRoles}, {@code @RolesAllowed}
 * (on classes and their methods) and {@code @ServletSecurity} ({@code @HttpConstraint},
 * {@code @HttpMethodConstraint}) on the classes {@link RolebridgeInitializer} was handed. The wildcards
 * {@code *} and {@code **} are not roles. Descriptors are read without fetching any DTD or entity.
 */
final class DeclaredSecurity {

    /** Servlet context attribute holding what the initializer learned, for the filter. */
    static final String ATTRIBUTE = "dev.rolebridge.declaredSecurity";

    private static final Logger LOG =
            dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(DeclaredSecurity.class));

    /** Role name to the places that declare it, in name order. */
    private final Map<String, Set<String>> sources = new TreeMap<>();
    /** Where security constraints that need an authenticated user are declared. */
    private final Set<String> constraints = new LinkedHashSet<>();

    private String loginConfig;

    private DeclaredSecurity() {}

    /** Reads the descriptors of {@code context} and the annotations of {@code annotated} (the initializer's scan). */
    static DeclaredSecurity of(ServletContext context, Collection<Class<?>> annotated) {
        DeclaredSecurity roles = new DeclaredSecurity();
        try (InputStream webXml = context.getResourceAsStream("/WEB-INF/web.xml")) {
            if (webXml != null) {
                roles.readDescriptor(webXml, "web.xml");
            }
        } catch (IOException e) {
            LOG.warn("Could not read WEB-INF/web.xml for its declared roles: {}", e.getMessage());
        }
        ClassLoader loader = context.getClassLoader();
        if (loader != null) {
            try {
                for (URL fragment : Collections.list(loader.getResources("META-INF/web-fragment.xml"))) {
                    String where = fragment.toString();
                    int lib = where.indexOf("/WEB-INF/lib/");
                    if (lib < 0) {
                        continue; // a container's own jar, not the application's
                    }
                    String jar = where.substring(lib + "/WEB-INF/lib/".length())
                            .replaceFirst("[!/]*META-INF/web-fragment\\.xml$", "");
                    try (InputStream in = fragment.openStream()) {
                        roles.readDescriptor(in, "web-fragment.xml of " + jar);
                    }
                }
            } catch (IOException e) {
                LOG.warn("Could not read the web fragments for their declared roles: {}", e.getMessage());
            }
        }
        annotated.forEach(roles::readAnnotations);
        return roles;
    }

    /** What the initializer stored in {@code context}, or, when no initializer ran, the descriptors alone. */
    static DeclaredSecurity stored(ServletContext context) {
        return context.getAttribute(ATTRIBUTE) instanceof DeclaredSecurity declared ? declared : of(context, List.of());
    }

    /** Where the application declares security constraints that need a signed-in user; empty when it declares none. */
    Set<String> constraints() {
        return Collections.unmodifiableSet(constraints);
    }

    /** The {@code <auth-method>} of the application's {@code <login-config>} ({@code ""} when it names none), or {@code null}. */
    String loginConfig() {
        return loginConfig;
    }

    /** The role names, sorted. */
    Set<String> names() {
        return Collections.unmodifiableSet(sources.keySet());
    }

    /** One line per role for the start-up log: {@code billing (web.xml <security-role>, @RolesAllowed on a.B)}. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        sources.forEach((role, where) -> lines.add(role + " (" + String.join(", ", where) + ")"));
        return lines;
    }

    private void add(String role, String source) {
        String name = role == null ? "" : role.strip();
        if (!name.isEmpty() && !name.equals("*") && !name.equals("**")) {
            sources.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(source);
        }
    }

    private void readDescriptor(InputStream in, String descriptor) {
        try {
            Element root = parser().parse(in).getDocumentElement();
            for (Element role : elements(root, "security-role")) {
                elements(role, "role-name")
                        .forEach(name -> add(name.getTextContent(), descriptor + " <security-role>"));
            }
            for (Element constraint : elements(root, "auth-constraint")) {
                elements(constraint, "role-name")
                        .forEach(name -> add(name.getTextContent(), descriptor + " <auth-constraint>"));
            }
            for (Element constraint : elements(root, "security-constraint")) {
                if (!elements(constraint, "auth-constraint").isEmpty()) {
                    List<String> patterns = elements(constraint, "url-pattern").stream()
                            .map(p -> p.getTextContent().strip())
                            .toList();
                    constraints.add(descriptor + " <security-constraint> " + patterns);
                }
            }
            for (Element login : elements(root, "login-config")) {
                List<Element> method = elements(login, "auth-method");
                loginConfig =
                        method.isEmpty() ? "" : method.get(0).getTextContent().strip();
            }
        } catch (IOException | SAXException | ParserConfigurationException e) {
            LOG.warn("Could not read the declared roles of {}: {}", descriptor, e.getMessage());
        }
    }

    private void readAnnotations(Class<?> type) {
        String on = " on " + type.getName();
        try {
            DeclareRoles declare = type.getAnnotation(DeclareRoles.class);
            if (declare != null) {
                for (String role : declare.value()) {
                    add(role, "@DeclareRoles" + on);
                }
            }
            RolesAllowed allowed = type.getAnnotation(RolesAllowed.class);
            if (allowed != null) {
                for (String role : allowed.value()) {
                    add(role, "@RolesAllowed" + on);
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                RolesAllowed onMethod = method.getAnnotation(RolesAllowed.class);
                if (onMethod != null) {
                    for (String role : onMethod.value()) {
                        add(role, "@RolesAllowed" + on + "." + method.getName());
                    }
                }
            }
            ServletSecurity security = type.getAnnotation(ServletSecurity.class);
            if (security != null) {
                boolean needsUser = security.value().rolesAllowed().length > 0
                        || security.value().value() == ServletSecurity.EmptyRoleSemantic.DENY;
                for (HttpMethodConstraint constraint : security.httpMethodConstraints()) {
                    needsUser |= constraint.rolesAllowed().length > 0
                            || constraint.emptyRoleSemantic() == ServletSecurity.EmptyRoleSemantic.DENY;
                }
                if (needsUser) {
                    constraints.add("@ServletSecurity" + on);
                }
                for (String role : security.value().rolesAllowed()) {
                    add(role, "@ServletSecurity" + on);
                }
                for (HttpMethodConstraint constraint : security.httpMethodConstraints()) {
                    for (String role : constraint.rolesAllowed()) {
                        add(role, "@ServletSecurity(" + constraint.value() + ")" + on);
                    }
                }
            }
        } catch (LinkageError e) {
            // A class whose annotations or methods cannot be resolved declares nothing we can read.
            LOG.warn("Could not read the role annotations of {}: {}", type.getName(), e.toString());
        }
    }

    private static List<Element> elements(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS("*", localName);
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element) {
                found.add(element);
            }
        }
        return found;
    }

    /** A namespace-aware parser that never loads a DTD, an external entity or an XInclude. */
    private static DocumentBuilder parser() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        for (String feature : List.of(
                "http://xml.org/sax/features/external-general-entities",
                "http://xml.org/sax/features/external-parameter-entities",
                "http://apache.org/xml/features/nonvalidating/load-external-dtd")) {
            try {
                factory.setFeature(feature, false);
            } catch (ParserConfigurationException e) {
                // Another JAXP implementation: the entity resolver below still refuses every external entity.
            }
        }
        DocumentBuilder builder = factory.newDocumentBuilder();
        // Legacy descriptors name a DTD in <!DOCTYPE>: read them without it.
        builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
        builder.setErrorHandler(null);
        return builder;
    }
}
