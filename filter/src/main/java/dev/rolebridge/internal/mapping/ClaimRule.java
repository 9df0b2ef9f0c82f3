package dev.rolebridge.internal.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * One line of the {@code claimRules} parameter: when every condition holds for a login's claims, the
 * user joins an application group (Keycloak's "Advanced Claim to Group" mapper).
 *
 * <pre>{@code
 * ClaimRule rule = ClaimRule.parse("department~eng.* & realm_access.roles=staff -> engineers [ADD_ONLY]");
 * }</pre>
 *
 * <p>Grammar, whitespace around every token ignored:
 * <pre>
 * rule      = condition { "&amp;" condition } "-&gt;" group [ "[" mode "]" ]
 * condition = path "=" value        exact, case-sensitive comparison
 *           | path "~" regex        Java regular expression that must match the whole value
 * path      = name { "." name }     dotted path into nested claims: realm_access.roles
 * mode      = FORCE | IMPORT | ADD_ONLY
 * </pre>
 * <ul>
 *   <li>The first {@code =} or {@code ~} of a condition is its operator, so a value may contain both.</li>
 *   <li>The <em>last</em> {@code ->} separates the target group, so a regular expression may contain
 *       {@code ->}; a target group cannot.</li>
 *   <li>{@code &} separates conditions: write {@code \&} for a literal ampersand (in a regular
 *       expression Java reads {@code \&} as {@code &} too). A claim name containing a dot is written
 *       with {@code \.}, as in Keycloak. See {@link MappingConfig} for the other escapes.</li>
 *   <li>A value starting with {@code ^} after {@code =} is still compared exactly: regular expressions
 *       always use {@code ~}.</li>
 *   <li>A trailing {@code [MODE]} sets the sync mode of the target group, overriding {@code syncMode};
 *       a group name therefore cannot end in a bracketed word.</li>
 * </ul>
 *
 * <p>Matching: a claim that is an array (or any collection) matches when any element matches; numbers
 * and booleans compare as their text; objects never match. A missing claim fails the condition.
 *
 * <p>A rule cannot stall a login: a regular expression is never run on a value longer than
 * {@code maxGroupNameLength}, at most {@code maxGroups} elements of an array are examined, and one
 * condition may read at most {@value #REGEX_STEP_BUDGET} characters in total while matching. Length alone
 * is not enough, since an expression such as {@code (.*a){12}} backtracks for seconds on 25 characters;
 * the read budget stops it, the condition then counts as not holding, and the trace says so.
 *
 * @param conditions the conditions, all of which must hold
 * @param group the application group the rule grants, verbatim
 * @param mode the rule's own sync mode, or {@code null} to use the global {@code syncMode}
 * @param text the rule as written, for traces and error messages
 */
public record ClaimRule(List<Condition> conditions, String group, SyncMode mode, String text) {

    /** Most characters one regular-expression condition may read, over all values, while matching. */
    static final int REGEX_STEP_BUDGET = 1_000_000;

    private static final String EXPECTED =
            "expected 'claimPath=value & claimPath~regex -> app group', optionally followed by [FORCE], [IMPORT] or [ADD_ONLY]";

    public ClaimRule {
        conditions = List.copyOf(Objects.requireNonNull(conditions, "conditions"));
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(text, "text");
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException("a claim rule needs at least one condition");
        }
    }

    /**
     * Reads one rule.
     *
     * @throws IllegalArgumentException naming the rule, what is wrong and what is expected
     */
    public static ClaimRule parse(String text) {
        String rule = Objects.requireNonNull(text, "text").strip();
        int arrow = Grammar.lastIndexOf(rule, "->");
        if (arrow < 0) {
            throw problem(rule, "has no '->' before the app group");
        }
        String target = rule.substring(arrow + 2).strip();
        SyncMode mode = null;
        int open = target.lastIndexOf('[');
        if (target.endsWith("]") && open >= 0) {
            String modeText = target.substring(open + 1, target.length() - 1);
            try {
                mode = SyncMode.parse(modeText);
            } catch (IllegalArgumentException e) {
                throw problem(rule, "asks for sync mode '" + modeText.strip() + "', which does not exist");
            }
            target = target.substring(0, open).strip();
        }
        String group = Grammar.unescape(target);
        if (group.isEmpty()) {
            throw problem(rule, "names no app group after '->'");
        }
        String conditionText = rule.substring(0, arrow).strip();
        if (conditionText.isEmpty()) {
            throw problem(rule, "has no condition before '->'");
        }
        List<Condition> conditions = new ArrayList<>();
        for (String condition : Grammar.split(conditionText, '&')) {
            conditions.add(Condition.parse(rule, condition));
        }
        return new ClaimRule(conditions, group, mode, rule);
    }

    /** Whether a rule holds for some claims, and why (or why not), for the trace. */
    record Evaluation(boolean matched, String reason) {}

    /**
     * Tests every condition against {@code claims}.
     *
     * @param maxValueLength values longer than this are not fed to a regular expression
     * @param maxValues at most this many elements of an array claim are examined
     */
    Evaluation evaluate(Map<String, ?> claims, int maxValueLength, int maxValues) {
        Objects.requireNonNull(claims, "claims");
        for (Condition condition : conditions) {
            String failure = condition.failure(claims, maxValueLength, maxValues);
            if (failure != null) {
                return new Evaluation(false, failure);
            }
        }
        return new Evaluation(
                true, conditions.stream().map(Condition::toString).collect(Collectors.joining(" and ", "", " hold")));
    }

    private static IllegalArgumentException problem(String rule, String what) {
        return new IllegalArgumentException("'" + rule + "' " + what + "; " + EXPECTED);
    }

    /**
     * One condition of a rule: the claim at {@code path} equals {@code value}, or fully matches
     * {@code regex}. Exactly one of the two is set.
     *
     * @param path the claim names from the top level down, unescaped
     * @param value the exact value, or {@code null} for a regular-expression condition
     * @param regex the compiled expression, or {@code null} for an exact condition
     */
    public record Condition(List<String> path, String value, Pattern regex) {

        public Condition {
            path = List.copyOf(Objects.requireNonNull(path, "path"));
            if (path.isEmpty()) {
                throw new IllegalArgumentException("a condition needs a claim path");
            }
            if ((value == null) == (regex == null)) {
                throw new IllegalArgumentException("a condition has either a value or a regular expression");
            }
        }

        static Condition parse(String rule, String text) {
            int equals = Grammar.indexOf(text, "=");
            int tilde = Grammar.indexOf(text, "~");
            int op = equals < 0 ? tilde : tilde < 0 ? equals : Math.min(equals, tilde);
            if (op < 0) {
                throw problem(rule, "has condition '" + text + "' with neither '=' nor '~'");
            }
            List<String> path = Grammar.split(text.substring(0, op), '.').stream()
                    .map(Grammar::unescape)
                    .toList();
            if (path.stream().anyMatch(String::isEmpty)) {
                throw problem(rule, "has condition '" + text + "' with an empty claim name in its path");
            }
            String operand = text.substring(op + 1).strip();
            if (operand.isEmpty()) {
                throw problem(rule, "has condition '" + text + "' with nothing to compare to");
            }
            if (op == equals) {
                return new Condition(path, Grammar.unescape(operand), null);
            }
            try {
                return new Condition(path, null, Pattern.compile(operand));
            } catch (PatternSyntaxException e) {
                throw problem(
                        rule,
                        "has an invalid regular expression '" + operand + "' (" + e.getDescription()
                                + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "") + ")");
            }
        }

        /** Returns {@code null} when the condition holds, otherwise why it does not. */
        String failure(Map<String, ?> claims, int maxValueLength, int maxValues) {
            Object node = claims;
            for (String name : path) {
                node = node instanceof Map<?, ?> map ? map.get(name) : null;
            }
            String claim = String.join(".", path);
            if (node == null) {
                return "claim '" + claim + "' is absent";
            }
            Iterable<?> values = node instanceof Collection<?> collection
                    ? collection
                    : node instanceof Object[] array ? Arrays.asList(array) : List.of(node);
            int examined = 0;
            int tooLong = 0;
            boolean truncated = false;
            int[] budget = {REGEX_STEP_BUDGET};
            for (Object element : values) {
                if (examined == maxValues) {
                    truncated = true;
                    break;
                }
                examined++;
                if (element == null
                        || element instanceof Map
                        || element instanceof Collection
                        || element instanceof Object[]) {
                    continue;
                }
                String text = String.valueOf(element);
                if (regex == null) {
                    if (text.equals(value)) {
                        return null;
                    }
                } else if (text.length() > maxValueLength) {
                    tooLong++;
                } else {
                    try {
                        if (regex.matcher(new BudgetedText(text, budget)).matches()) {
                            return null;
                        }
                    } catch (BudgetExhausted e) {
                        return "claim '" + claim + "': matching '" + regex + "' gave up after reading "
                                + REGEX_STEP_BUDGET + " characters (the expression backtracks too much)";
                    }
                }
            }
            return "claim '" + claim + "' has no value "
                    + (regex == null ? "equal to '" + value + "'" : "matching '" + regex + "'")
                    + (tooLong == 0
                            ? ""
                            : " (" + tooLong + (tooLong == 1 ? " value" : " values") + " longer than " + maxValueLength
                                    + " characters not tested)")
                    + (truncated ? " (only the first " + maxValues + " elements examined)" : "");
        }

        /** A string whose characters may be read only so many times, shared with other values of one condition. */
        private static final class BudgetedText implements CharSequence {

            private final String text;
            private final int[] budget;

            BudgetedText(String text, int[] budget) {
                this.text = text;
                this.budget = budget;
            }

            @Override
            public int length() {
                return text.length();
            }

            @Override
            public char charAt(int index) {
                if (--budget[0] < 0) {
                    throw new BudgetExhausted();
                }
                return text.charAt(index);
            }

            @Override
            public CharSequence subSequence(int start, int end) {
                return new BudgetedText(text.substring(start, end), budget);
            }

            @Override
            public String toString() {
                return text;
            }
        }

        /** Thrown inside the regex engine to stop a match that ran out of budget; never escapes. */
        private static final class BudgetExhausted extends RuntimeException {

            private static final long serialVersionUID = 1L;

            BudgetExhausted() {
                super(null, null, false, false);
            }
        }

        /** The condition as written in the grammar, e.g. {@code department~eng.*}. */
        @Override
        public String toString() {
            String claim = path.stream().map(n -> n.replace(".", "\\.")).collect(Collectors.joining("."));
            return regex == null ? claim + "=" + value : claim + "~" + regex.pattern();
        }
    }
}
