package dev.rolebridge.internal.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
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
        return evaluate(new Claims(claims, maxValueLength, maxValues));
    }

    /** As {@link #evaluate(Map, int, int)}, with the claims of one login that every rule is evaluated on. */
    Evaluation evaluate(Claims claims) {
        Objects.requireNonNull(claims, "claims");
        for (Condition condition : conditions) {
            String failure = condition.failure(claims);
            if (failure != null) {
                return new Evaluation(false, failure);
            }
        }
        return new Evaluation(
                true, conditions.stream().map(Condition::toString).collect(Collectors.joining(" and ", "", " hold")));
    }

    /**
     * The claims of one login, for evaluating every claim rule on them: an array claim (a groups claim of a
     * thousand names) is read once into a set and a sorted list, so that a rule comparing it with one value, or
     * with a regular expression that starts with plain characters, does not read every element again. The
     * answers are exactly those of reading the elements one by one. Used by one thread.
     */
    static final class Claims {

        private final Map<String, ?> claims;
        private final int maxValueLength;
        private final int maxValues;
        private final IdentityHashMap<Object, ArrayClaim> arrays = new IdentityHashMap<>();

        /**
         * @param maxValueLength values longer than this are not fed to a regular expression
         * @param maxValues at most this many elements of an array claim are examined
         */
        Claims(Map<String, ?> claims, int maxValueLength, int maxValues) {
            this.claims = Objects.requireNonNull(claims, "claims");
            this.maxValueLength = maxValueLength;
            this.maxValues = maxValues;
        }

        /** The array claim {@code node} (a collection or an array found in the claims), read once. */
        ArrayClaim array(Iterable<?> values, Object node) {
            return arrays.computeIfAbsent(node, n -> new ArrayClaim(values, maxValueLength, maxValues));
        }
    }

    /**
     * The elements of one array claim that a condition examines (the first {@code maxValues}; no nulls, objects
     * or nested arrays), as text: all of them for exact comparison, those no longer than {@code maxValueLength}
     * sorted for regular expressions.
     */
    static final class ArrayClaim {

        private final List<String> texts = new ArrayList<>();
        private final int tooLong;
        private final boolean truncated;
        private final int maxValueLength;
        private Set<String> distinct;
        private String[] sortedTestable;

        ArrayClaim(Iterable<?> values, int maxValueLength, int maxValues) {
            this.maxValueLength = maxValueLength;
            int examined = 0;
            int longer = 0;
            boolean more = false;
            for (Object element : values) {
                if (examined == maxValues) {
                    more = true;
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
                texts.add(text);
                if (text.length() > maxValueLength) {
                    longer++;
                }
            }
            tooLong = longer;
            truncated = more;
        }

        boolean contains(String value) {
            if (distinct == null) {
                distinct = new HashSet<>(texts);
            }
            return distinct.contains(value);
        }

        /** Whether a value that a regular expression is run on begins with {@code prefix}. */
        boolean anyTestableStartsWith(String prefix) {
            if (sortedTestable == null) {
                sortedTestable = texts.stream()
                        .filter(t -> t.length() <= maxValueLength)
                        .sorted()
                        .toArray(String[]::new);
            }
            int at = Arrays.binarySearch(sortedTestable, prefix);
            int first = at >= 0 ? at : -at - 1;
            return first < sortedTestable.length && sortedTestable[first].startsWith(prefix);
        }

        /** How many values a regular expression is run on. */
        int testable() {
            return texts.size() - tooLong;
        }
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

        /** The characters that end an expression's literal start ({@link #literalPrefix}). */
        private static final String METACHARACTERS = "\\^$.|?*+()[]{}";

        private static final String QUANTIFIERS = "?*+{";

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
        String failure(Claims claims) {
            int maxValueLength = claims.maxValueLength;
            int maxValues = claims.maxValues;
            Object node = claims.claims;
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
            String prefix = regex == null ? "" : literalPrefix(regex);
            if (node instanceof Collection || node instanceof Object[]) {
                // answers that need no element read again: an exact value the claim does not hold, or a regular
                // expression that starts with characters no value starts with (reading each value up to where it
                // differs costs at most that many characters, so the budget cannot run out)
                ArrayClaim array = claims.array(values, node);
                if (regex == null ? !array.contains(value) : noValueCanMatch(array, prefix)) {
                    // only a regular expression leaves long values untested
                    return noValue(
                            claim, regex == null ? 0 : array.tooLong, array.truncated, maxValueLength, maxValues);
                }
            }
            int examined = 0;
            int tooLong = 0;
            boolean truncated = false;
            int[] budget = {REGEX_STEP_BUDGET};
            // one matcher for all values of the claim: an array claim may hold a thousand of them
            BudgetedText input = null;
            Matcher matcher = null;
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
                    int reads = readsUntilMismatch(prefix, text);
                    if (reads > budget[0]) {
                        return gaveUp(claim);
                    } else if (reads > 0) {
                        budget[0] -= reads; // what the expression would have read before failing
                        continue;
                    }
                    if (input == null) {
                        input = new BudgetedText(text, budget);
                        matcher = regex.matcher(input);
                    } else {
                        input.text = text;
                        matcher.reset(input);
                    }
                    try {
                        if (matcher.matches()) {
                            return null;
                        }
                    } catch (BudgetExhausted e) {
                        return gaveUp(claim);
                    }
                }
            }
            return noValue(claim, tooLong, truncated, maxValueLength, maxValues);
        }

        private boolean noValueCanMatch(ArrayClaim array, String prefix) {
            return !prefix.isEmpty()
                    && (long) array.testable() * prefix.length() <= REGEX_STEP_BUDGET
                    && !array.anyTestableStartsWith(prefix);
        }

        private String noValue(String claim, int tooLong, boolean truncated, int maxValueLength, int maxValues) {
            return "claim '" + claim + "' has no value "
                    + (regex == null ? "equal to '" + value + "'" : "matching '" + regex + "'")
                    + (tooLong == 0
                            ? ""
                            : " (" + tooLong + (tooLong == 1 ? " value" : " values") + " longer than " + maxValueLength
                                    + " characters not tested)")
                    + (truncated ? " (only the first " + maxValues + " elements examined)" : "");
        }

        private String gaveUp(String claim) {
            return "claim '" + claim + "': matching '" + regex + "' gave up after reading " + REGEX_STEP_BUDGET
                    + " characters (the expression backtracks too much)";
        }

        /**
         * The characters every whole match of {@code regex} begins with, so that a value that does not begin with
         * them is known not to match without running the expression (an array claim of a thousand groups meets
         * every regular-expression rule on it): the run of plain characters at the start of an expression
         * compiled without flags and without {@code |}, after an optional {@code ^}, less its last character
         * when a quantifier follows it. Empty when there is none. The expression itself begins with exactly this
         * comparison, character by character, which is what lets {@link #readsUntilMismatch} charge the budget
         * as the expression would.
         */
        static String literalPrefix(Pattern regex) {
            String pattern = regex.pattern();
            if (regex.flags() != 0 || pattern.indexOf('|') >= 0) {
                return "";
            }
            int start = pattern.startsWith("^") ? 1 : 0;
            int end = start;
            while (end < pattern.length()
                    && METACHARACTERS.indexOf(pattern.charAt(end)) < 0
                    && !Character.isSurrogate(pattern.charAt(end))) {
                end++;
            }
            if (end < pattern.length() && QUANTIFIERS.indexOf(pattern.charAt(end)) >= 0) {
                end--;
            }
            return end > start ? pattern.substring(start, end) : "";
        }

        /**
         * How many characters of {@code text} are read to find that it does not begin with {@code prefix}: up
         * to and including the first that differs, or all of a shorter text that {@code prefix} begins with; 0
         * when it begins with {@code prefix} or is empty (the expression then decides).
         */
        static int readsUntilMismatch(String prefix, String text) {
            int common = Math.min(prefix.length(), text.length());
            for (int i = 0; i < common; i++) {
                if (prefix.charAt(i) != text.charAt(i)) {
                    return i + 1;
                }
            }
            return text.length() < prefix.length() ? text.length() : 0;
        }

        /** A string whose characters may be read only so many times, shared with other values of one condition. */
        private static final class BudgetedText implements CharSequence {

            /** The value being matched; the next value of the same claim replaces it. */
            private String text;

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
