package dev.rolebridge.internal.mapping;

import dev.rolebridge.RolebridgeException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The group mapping configuration is invalid. The message lists every problem, one per line, each
 * naming the parameter, quoting the bad value and saying what is expected; {@link #problems()} returns
 * the same lines for callers that merge them into a larger report.
 */
public class MappingConfigException extends RolebridgeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public MappingConfigException(List<String> problems) {
        super(format(Objects.requireNonNull(problems, "problems")));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, as printed in the message. */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        return "Group mapping is misconfigured (" + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + "):"
                + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
    }
}
