package dev.rolebridge.config;

import dev.rolebridge.RolebridgeException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration is invalid; the filter refuses to start. The message lists every problem, one per
 * line, each naming the parameter, quoting the bad value and saying what is expected.
 */
public class RolebridgeConfigurationException extends RolebridgeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public RolebridgeConfigurationException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** One entry per bad parameter, as printed in the message. */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        return "Rolebridge is misconfigured and will not start (" + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + "):"
                + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
    }
}
