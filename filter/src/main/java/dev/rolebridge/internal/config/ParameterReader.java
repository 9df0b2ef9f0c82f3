package dev.rolebridge.internal.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The one reader of a filter's parameters, for every part that has some (sign-in, group mapping, storage):
 * it resolves each {@code ${env:}}/{@code ${sys:}} reference once, refuses names Rolebridge does not know,
 * hands out typed values, and collects every problem of every part, so that start-up reports them all in one
 * message. Blank values count as absent; values are trimmed.
 *
 * <pre>{@code
 * ParameterReader params = ParameterReader.of(initParams, System::getenv, System::getProperty);
 * boolean promoteOnly = params.bool(Parameter.PROMOTE_ONLY).orElse(false);
 * if (!params.problems().isEmpty()) {
 *     throw new RolebridgeConfigurationException(params.problems());
 * }
 * }</pre>
 *
 * <p>A problem reads {@code name: 'value' expected ...}; the values of secret parameters are never shown.
 */
public final class ParameterReader {

    private static final Set<Parameter> SECRETS =
            Set.of(Parameter.CLIENT_SECRET, Parameter.JDBC_PASSWORD, Parameter.SCIM_TOKEN, Parameter.ADMIN_TOKEN);

    private final Map<String, String> raw;
    private final Map<String, String> resolved = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private ParameterReader(Map<String, String> raw) {
        this.raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    }

    /**
     * Reads parameters as written in {@code web.xml} or the annotation: names are checked, placeholders
     * resolved from {@code environment} and {@code systemProperties}.
     */
    public static ParameterReader of(
            Map<String, String> raw, UnaryOperator<String> environment, UnaryOperator<String> systemProperties) {
        Objects.requireNonNull(raw, "raw");
        ParameterReader reader = new ParameterReader(raw);
        Placeholders placeholders = new Placeholders(environment, systemProperties);
        Set<String> known = knownNames();
        for (Map.Entry<String, String> e : new TreeMap<>(raw).entrySet()) {
            String name = e.getKey();
            if (!known.contains(name) && !isHookParameter(name)) {
                reader.problems.add(unknown(name, known));
                continue;
            }
            String value = e.getValue() == null ? "" : e.getValue().trim();
            if (value.isEmpty()) {
                continue;
            }
            String r = placeholders.resolve(name, value, reader.problems);
            if (r != null && !r.isBlank()) {
                reader.resolved.put(name, r.trim());
            }
        }
        return reader;
    }

    /**
     * Reads values that are already resolved (a part configured on its own, as in tests): no placeholders
     * are resolved, and names Rolebridge does not know are ignored.
     */
    public static ParameterReader ofResolved(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        ParameterReader reader = new ParameterReader(values);
        values.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                reader.resolved.put(name, value.strip());
            }
        });
        return reader;
    }

    /** Every parameter name Rolebridge accepts, sorted (a custom hook's {@code syncHook.*} ones aside). */
    public static Set<String> knownNames() {
        Set<String> names = new TreeSet<>();
        Arrays.stream(Parameter.values()).map(Parameter::paramName).forEach(names::add);
        return Collections.unmodifiableSet(names);
    }

    /** Whether {@code name} is one of the parameters a custom hook reads itself ({@code syncHook.*}). */
    public static boolean isHookParameter(String name) {
        return name.startsWith(Parameter.HOOK_PARAMETER_PREFIX)
                && name.length() > Parameter.HOOK_PARAMETER_PREFIX.length();
    }

    /** The value as written, or empty when absent or blank. */
    public Optional<String> text(Parameter p) {
        return Optional.ofNullable(resolved.get(p.paramName()));
    }

    /** The value as written, else the parameter's default (which may be {@code null}). */
    public String textOrDefault(Parameter p) {
        return resolved.getOrDefault(p.paramName(), p.defaultValue());
    }

    /** Whether the parameter has a value (not blank). */
    public boolean isSet(Parameter p) {
        return resolved.containsKey(p.paramName());
    }

    /** Whether the parameter was written at all, even blank or with a placeholder that did not resolve. */
    public boolean isWritten(Parameter p) {
        String v = raw.get(p.paramName());
        return v != null && !v.isBlank();
    }

    /** Whether the value as written holds a {@code ${env:}} or {@code ${sys:}} reference. */
    public boolean isReference(Parameter p) {
        String v = raw.get(p.paramName());
        return v != null && v.contains("${");
    }

    /** {@code true} or {@code false} (any case); a problem, and empty, for anything else. */
    public Optional<Boolean> bool(Parameter p) {
        Optional<String> v = text(p).or(() -> Optional.ofNullable(p.defaultValue()));
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get().equalsIgnoreCase("true") || v.get().equalsIgnoreCase("false")) {
            return Optional.of(Boolean.parseBoolean(v.get()));
        }
        problem(p, "expected true or false");
        return Optional.empty();
    }

    /**
     * A whole number from {@code min} to {@code max}, else a problem saying so; empty when absent (and no
     * default) or not a number.
     */
    public Optional<Integer> integer(Parameter p, int min, int max) {
        String expected = max == Integer.MAX_VALUE
                ? "expected a whole number greater than " + (min - 1)
                : "expected a whole number from " + min + " to " + max;
        Optional<String> v = text(p).or(() -> Optional.ofNullable(p.defaultValue()));
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            int i = Integer.parseInt(v.get());
            if (i < min || i > max) {
                problem(p, expected);
            }
            return Optional.of(i);
        } catch (NumberFormatException e) {
            problem(p, expected);
            return Optional.empty();
        }
    }

    /** The comma-separated entries, trimmed, empty ones dropped (none when absent). */
    public List<String> list(Parameter p) {
        String v = textOrDefault(p);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Records a problem with the parameter's value: {@code name: 'value' expected}. */
    public void problem(Parameter p, String expected) {
        String name = p.paramName();
        String shown = SECRETS.contains(p) ? "(value hidden)" : "'" + raw.getOrDefault(name, resolved.get(name)) + "'";
        problems.add(name + ": " + shown + " " + expected);
    }

    /** Records a problem written out in full (it should start with the parameter's name). */
    public void problem(String line) {
        problems.add(Objects.requireNonNull(line, "line"));
    }

    /** Records the problems of a part that checks its values as a whole. */
    public void problems(List<String> lines) {
        lines.forEach(this::problem);
    }

    /** Every problem so far, in the order found. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The resolved values by name, in the order written. */
    public Map<String, String> values() {
        return Collections.unmodifiableMap(resolved);
    }

    /** A custom hook's own parameters ({@code syncHook.*}), by name without the prefix. */
    public Map<String, String> hookParameters() {
        Map<String, String> own = new LinkedHashMap<>();
        resolved.forEach((name, value) -> {
            if (isHookParameter(name)) {
                own.put(name.substring(Parameter.HOOK_PARAMETER_PREFIX.length()), value);
            }
        });
        return Collections.unmodifiableMap(own);
    }

    private static String unknown(String name, Set<String> known) {
        String hint = known.stream()
                .filter(k -> k.equalsIgnoreCase(name))
                .findFirst()
                .map(k -> "; did you mean '" + k + "'?")
                .orElse("; known parameters are " + known);
        return name + ": is not a Rolebridge parameter" + hint;
    }
}
