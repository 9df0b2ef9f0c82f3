package dev.rolebridge.internal.config;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} (environment variable) and {@code ${sys:name}} (system property)
 * references inside a configuration value; {@code ${env:NAME:-fallback}} supplies a fallback. Any other
 * {@code ${...}} form, or a reference with no value and no fallback, is a problem naming the parameter.
 */
final class Placeholders {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern FORM = Pattern.compile("(env|sys):([A-Za-z0-9_.\\-]+)(?::-(.*))?", Pattern.DOTALL);

    private final UnaryOperator<String> environment;
    private final UnaryOperator<String> systemProperties;

    Placeholders(UnaryOperator<String> environment, UnaryOperator<String> systemProperties) {
        this.environment = environment;
        this.systemProperties = systemProperties;
    }

    /** Returns the value with every reference replaced, or {@code null} after adding a problem. */
    String resolve(String parameter, String value, List<String> problems) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            Matcher form = FORM.matcher(m.group(1));
            String replacement;
            if (!form.matches()) {
                problems.add(parameter + ": '" + m.group() + "' is not a valid reference; expected ${env:NAME}, "
                        + "${sys:name} or ${env:NAME:-fallback}");
                ok = false;
                continue;
            }
            String name = form.group(2);
            replacement = "env".equals(form.group(1)) ? environment.apply(name) : systemProperties.apply(name);
            if (replacement == null) {
                replacement = form.group(3);
            }
            if (replacement == null) {
                problems.add(parameter + ": '" + m.group() + "' refers to "
                        + ("env".equals(form.group(1)) ? "environment variable '" : "system property '") + name
                        + "', which is not set (add a fallback with ${" + form.group(1) + ":" + name + ":-value})");
                ok = false;
                continue;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return ok ? out.toString() : null;
    }
}
