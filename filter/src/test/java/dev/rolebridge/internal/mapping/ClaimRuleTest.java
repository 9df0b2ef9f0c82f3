package dev.rolebridge.internal.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimRuleTest {

    private static final int MAX_LENGTH = 255;
    private static final int MAX_VALUES = 1000;

    @Test
    void parseWhenExactAndRegexConditionsThenBothReadInOrder() {
        ClaimRule rule = ClaimRule.parse("department~^eng.*$ & country=NO -> engineers");

        assertThat(rule.group()).isEqualTo("engineers");
        assertThat(rule.mode()).isNull();
        assertThat(rule.conditions()).hasSize(2);
        assertThat(rule.conditions().get(0).path()).containsExactly("department");
        assertThat(rule.conditions().get(0).regex().pattern()).isEqualTo("^eng.*$");
        assertThat(rule.conditions().get(0).value()).isNull();
        assertThat(rule.conditions().get(1).path()).containsExactly("country");
        assertThat(rule.conditions().get(1).value()).isEqualTo("NO");
        assertThat(rule.conditions().get(1).regex()).isNull();
        assertThat(rule.text()).isEqualTo("department~^eng.*$ & country=NO -> engineers");
    }

    @Test
    void parseWhenModeSuffixThenRuleCarriesMode() {
        assertThat(ClaimRule.parse("a=1 -> staff [IMPORT]").mode()).isEqualTo(SyncMode.IMPORT);
        assertThat(ClaimRule.parse("a=1 -> staff [ADD_ONLY]").mode()).isEqualTo(SyncMode.ADD_ONLY);
        assertThat(ClaimRule.parse("a=1 -> all apps[FORCE]").group()).isEqualTo("all apps");
    }

    @Test
    void parseWhenUnknownModeThenErrorNamesIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClaimRule.parse("a=1 -> staff [FORSE]"))
                .withMessageContaining("'a=1 -> staff [FORSE]'")
                .withMessageContaining("sync mode 'FORSE'")
                .withMessageContaining("expected 'claimPath=value & claimPath~regex -> app group'");
    }

    @Test
    void parseWhenMalformedThenErrorSaysWhatIsMissing() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClaimRule.parse("a=1 engineers"))
                .withMessageContaining("has no '->'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClaimRule.parse(" -> engineers"))
                .withMessageContaining("has no condition");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClaimRule.parse("a=1 -> "))
                .withMessageContaining("names no app group");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClaimRule.parse("a= -> x"))
                .withMessageContaining("nothing to compare to");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClaimRule.parse("a..b=1 -> x"))
                .withMessageContaining("empty claim name");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClaimRule.parse("a=1 & -> x"))
                .withMessageContaining("neither '=' nor '~'");
    }

    @Test
    void parseWhenRegexInvalidThenErrorQuotesIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClaimRule.parse("team~(ops -> x"))
                .withMessageContaining("invalid regular expression '(ops'");
    }

    @Test
    void parseWhenRegexContainsArrowThenLastArrowSeparatesTarget() {
        ClaimRule rule = ClaimRule.parse("flow~a->b -> routed");

        assertThat(rule.group()).isEqualTo("routed");
        assertThat(rule.conditions().get(0).regex().pattern()).isEqualTo("a->b");
    }

    @Test
    void parseWhenFirstOperatorDecidesThenValueMayContainOperators() {
        ClaimRule rule = ClaimRule.parse("expr=a~b=c & re~x=y -> g");

        assertThat(rule.conditions().get(0).value()).isEqualTo("a~b=c");
        assertThat(rule.conditions().get(1).regex().pattern()).isEqualTo("x=y");
    }

    @Test
    void parseWhenEscapedDotOrAmpersandThenTheyArePlainText() {
        ClaimRule rule = ClaimRule.parse("https://example\\.com/dept=R\\&D -> rnd");

        assertThat(rule.conditions()).singleElement().satisfies(c -> {
            assertThat(c.path()).containsExactly("https://example.com/dept");
            assertThat(c.value()).isEqualTo("R&D");
        });
        assertThat(rule.evaluate(Map.of("https://example.com/dept", "R&D"), MAX_LENGTH, MAX_VALUES)
                        .matched())
                .isTrue();
    }

    @Test
    void evaluateWhenDottedPathThenFollowsNestedClaims() {
        ClaimRule rule = ClaimRule.parse("realm_access.roles=staff -> staff");

        assertThat(matches(rule, Map.of("realm_access", Map.of("roles", List.of("user", "staff")))))
                .isTrue();
        assertThat(matches(rule, Map.of("realm_access", Map.of("roles", List.of("user")))))
                .isFalse();
        assertThat(matches(rule, Map.of("realm_access", "staff"))).isFalse();
    }

    @Test
    void evaluateWhenClaimIsArrayThenAnyElementMatches() {
        ClaimRule rule = ClaimRule.parse("teams~ops-.* -> ops");

        assertThat(matches(rule, Map.of("teams", List.of("dev", "ops-eu")))).isTrue();
        assertThat(matches(rule, Map.of("teams", new String[] {"dev", "ops-us"})))
                .isTrue();
        assertThat(matches(rule, Map.of("teams", List.of("dev", "devops-eu")))).isFalse();
    }

    @Test
    void evaluateWhenRegexThenWholeValueMustMatch() {
        ClaimRule rule = ClaimRule.parse("department~eng -> engineers");

        assertThat(matches(rule, Map.of("department", "eng"))).isTrue();
        assertThat(matches(rule, Map.of("department", "engineering"))).isFalse();
        assertThat(matches(rule, Map.of("department", "reng"))).isFalse();
    }

    @Test
    void evaluateWhenExactThenComparesCaseSensitively() {
        ClaimRule rule = ClaimRule.parse("country=NO -> norway");

        assertThat(matches(rule, Map.of("country", "NO"))).isTrue();
        assertThat(matches(rule, Map.of("country", "no"))).isFalse();
    }

    @Test
    void evaluateWhenEveryConditionHoldsThenMatchesOtherwiseReasonNamesFailedClaim() {
        ClaimRule rule = ClaimRule.parse("department~eng.* & country=NO -> engineers");

        assertThat(rule.evaluate(Map.of("department", "engineering", "country", "NO"), MAX_LENGTH, MAX_VALUES))
                .satisfies(e -> {
                    assertThat(e.matched()).isTrue();
                    assertThat(e.reason()).isEqualTo("department~eng.* and country=NO hold");
                });
        assertThat(rule.evaluate(Map.of("department", "engineering", "country", "SE"), MAX_LENGTH, MAX_VALUES))
                .satisfies(e -> {
                    assertThat(e.matched()).isFalse();
                    assertThat(e.reason()).isEqualTo("claim 'country' has no value equal to 'NO'");
                });
    }

    @Test
    void evaluateWhenClaimAbsentThenDoesNotMatch() {
        ClaimRule.Evaluation evaluation =
                ClaimRule.parse("department~.* -> anyone").evaluate(Map.of(), MAX_LENGTH, MAX_VALUES);

        assertThat(evaluation.matched()).isFalse();
        assertThat(evaluation.reason()).isEqualTo("claim 'department' is absent");
    }

    @Test
    void evaluateWhenNumbersAndBooleansThenComparedAsText() {
        assertThat(matches(ClaimRule.parse("email_verified=true -> verified"), Map.of("email_verified", true)))
                .isTrue();
        assertThat(matches(ClaimRule.parse("level~[3-5] -> senior"), Map.of("level", 4)))
                .isTrue();
    }

    @Test
    void evaluateWhenClaimIsObjectThenNeverMatches() {
        assertThat(matches(ClaimRule.parse("address~.* -> x"), Map.of("address", Map.of("country", "NO"))))
                .isFalse();
    }

    @Test
    void evaluateWhenValueLongerThanLimitThenRegexNotRunOnIt() {
        ClaimRule rule = ClaimRule.parse("department~eng.* -> engineers");
        String longValue = "eng" + "x".repeat(300);

        ClaimRule.Evaluation evaluation = rule.evaluate(Map.of("department", longValue), MAX_LENGTH, MAX_VALUES);

        assertThat(evaluation.matched()).isFalse();
        assertThat(evaluation.reason()).contains("1 value longer than 255 characters not tested");
        assertThat(rule.evaluate(Map.of("department", List.of(longValue, "eng")), MAX_LENGTH, MAX_VALUES)
                        .matched())
                .isTrue();
    }

    @Test
    void evaluateWhenRegexBacktracksCatastrophicallyThenGivesUpAndDoesNotMatch() {
        ClaimRule rule = ClaimRule.parse("note~(.*a){12} -> x");
        String shortButHostile = "a".repeat(25) + "!";

        ClaimRule.Evaluation evaluation =
                rule.evaluate(Map.of("note", List.of(shortButHostile, shortButHostile)), MAX_LENGTH, MAX_VALUES);

        assertThat(shortButHostile.length()).isLessThan(MAX_LENGTH);
        assertThat(evaluation.matched()).isFalse();
        assertThat(evaluation.reason())
                .contains("gave up after reading " + ClaimRule.REGEX_STEP_BUDGET + " characters");
    }

    @Test
    void evaluateWhenRegexWithinBudgetThenMatchesNormally() {
        ClaimRule rule = ClaimRule.parse("note~(.*a){3}! -> x");

        assertThat(matches(rule, Map.of("note", "a".repeat(200) + "!"))).isTrue();
    }

    @Test
    void evaluateWhenRegexHasLiteralPrefixThenValuesMatchAsTheWholeExpressionDecides() {
        assertThat(matches(
                        ClaimRule.parse("groups~/tenant-a/.* -> x"),
                        Map.of("groups", List.of("/tenant-b/x", "/tenant-a/y"))))
                .isTrue();
        assertThat(matches(ClaimRule.parse("groups~/tenant-a/.* -> x"), Map.of("groups", List.of("/tenant-a", "/t"))))
                .isFalse();
        assertThat(matches(ClaimRule.parse("groups~^/tenant-a/.*$ -> x"), Map.of("groups", "/tenant-a/y")))
                .isTrue();
        assertThat(matches(ClaimRule.parse("groups~^/tenant-a/.*$ -> x"), Map.of("groups", "x/tenant-a/y")))
                .isFalse();
        // the character before a quantifier is not part of every match
        assertThat(matches(ClaimRule.parse("groups~admins?-.* -> x"), Map.of("groups", "admin-eu")))
                .isTrue();
        assertThat(matches(ClaimRule.parse("groups~ab*c -> x"), Map.of("groups", "ac")))
                .isTrue();
        assertThat(matches(ClaimRule.parse("groups~ab{0,2}c -> x"), Map.of("groups", "ac")))
                .isTrue();
        // an alternative need not begin with the first one's letters
        assertThat(matches(ClaimRule.parse("groups~admins|ops -> x"), Map.of("groups", "ops")))
                .isTrue();
        assertThat(matches(ClaimRule.parse("groups~ab\\.c -> x"), Map.of("groups", "ab.c")))
                .isTrue();
        assertThat(matches(ClaimRule.parse("groups~ab\\.c -> x"), Map.of("groups", "abxc")))
                .isFalse();
        assertThat(matches(ClaimRule.parse("groups~ab[.]c -> x"), Map.of("groups", "ab.c")))
                .isTrue();
    }

    @Test
    void evaluateWhenPatternHasFlagsThenLiteralPrefixIsNotComparedExactly() {
        ClaimRule rule = new ClaimRule(
                List.of(new ClaimRule.Condition(
                        List.of("groups"),
                        null,
                        java.util.regex.Pattern.compile("admins.*", java.util.regex.Pattern.CASE_INSENSITIVE))),
                "x",
                null,
                "groups~(?i)admins.* -> x");

        assertThat(matches(rule, Map.of("groups", List.of("ops", "ADMINS-eu")))).isTrue();
    }

    @Test
    void evaluateWhenValuesDifferFromTheLiteralPrefixThenTheirCharactersStillCountAgainstTheBudget() {
        // each value is read up to the first character that differs from the expression's literal start: 151 reads
        ClaimRule rule = ClaimRule.parse("teams~" + "x".repeat(150) + "a.* -> x");
        String differs = "x".repeat(150) + "b";
        String matching = "x".repeat(150) + "a";
        List<String> underBudget = new java.util.ArrayList<>(java.util.Collections.nCopies(6_000, differs));
        underBudget.add(matching);
        List<String> overBudget = new java.util.ArrayList<>(java.util.Collections.nCopies(6_700, differs));
        overBudget.add(matching);

        assertThat(rule.evaluate(Map.of("teams", underBudget), MAX_LENGTH, 10_000)
                        .matched())
                .isTrue();
        ClaimRule.Evaluation over = rule.evaluate(Map.of("teams", overBudget), MAX_LENGTH, 10_000);
        assertThat(over.matched()).isFalse();
        assertThat(over.reason()).contains("gave up after reading " + ClaimRule.REGEX_STEP_BUDGET + " characters");
    }

    @Test
    void evaluateWhenNoElementCanMatchThenReasonStillCountsLongAndUnexaminedElements() {
        Map<String, ?> claims = Map.of("groups", List.of("/tenant-b/x", "y".repeat(300), "/tenant-a/z"));

        assertThat(ClaimRule.parse("groups~/tenant-a/.* -> x").evaluate(claims, MAX_LENGTH, 2))
                .isEqualTo(new ClaimRule.Evaluation(
                        false,
                        "claim 'groups' has no value matching '/tenant-a/.*' (1 value longer than 255 characters not"
                                + " tested) (only the first 2 elements examined)"));
        assertThat(ClaimRule.parse("groups=/tenant-a/z -> x").evaluate(claims, MAX_LENGTH, 2))
                .isEqualTo(new ClaimRule.Evaluation(
                        false,
                        "claim 'groups' has no value equal to '/tenant-a/z' (only the first 2 elements examined)"));
        assertThat(ClaimRule.parse("groups~/tenant-a/.* -> x")
                        .evaluate(claims, MAX_LENGTH, 3)
                        .matched())
                .isTrue();
    }

    @Test
    void evaluateWhenRulesShareOneLoginsClaimsThenEachDecidesAsAlone() {
        List<String> groups = java.util.stream.IntStream.range(0, 500)
                .mapToObj(i -> "/tenant-" + (i % 20) + "/team-" + i)
                .toList();
        Map<String, ?> claims = Map.of("groups", groups, "email", "ann@example.com");
        List<ClaimRule> rules = List.of(
                ClaimRule.parse("groups~/tenant-7/team-4.* -> a"),
                ClaimRule.parse("groups~/tenant-70/.* -> b"),
                ClaimRule.parse("groups=/tenant-3/team-43 -> c"),
                ClaimRule.parse("groups=/tenant-3/team-44 -> d"),
                ClaimRule.parse("groups~.*team-499 -> e"),
                ClaimRule.parse("email~ann@.* & groups~/tenant-1/team-1 -> f"));
        ClaimRule.Claims shared = new ClaimRule.Claims(claims, MAX_LENGTH, MAX_VALUES);

        assertThat(rules)
                .allSatisfy(rule ->
                        assertThat(rule.evaluate(shared)).isEqualTo(rule.evaluate(claims, MAX_LENGTH, MAX_VALUES)));
        assertThat(rules.stream().map(rule -> rule.evaluate(shared).matched()))
                .containsExactly(true, false, true, false, true, true);
    }

    @Test
    void evaluateWhenArrayLongerThanLimitThenOnlyFirstElementsExamined() {
        ClaimRule rule = ClaimRule.parse("teams=last -> x");

        ClaimRule.Evaluation evaluation = rule.evaluate(Map.of("teams", List.of("a", "b", "last")), MAX_LENGTH, 2);

        assertThat(evaluation.matched()).isFalse();
        assertThat(evaluation.reason()).contains("only the first 2 elements examined");
    }

    @Test
    void conditionToStringRoundTripsTheGrammar() {
        ClaimRule rule = ClaimRule.parse("a\\.b.c~x+ & d=e -> g");

        assertThat(rule.conditions()).extracting(Object::toString).containsExactly("a\\.b.c~x+", "d=e");
    }

    private static boolean matches(ClaimRule rule, Map<String, ?> claims) {
        return rule.evaluate(claims, MAX_LENGTH, MAX_VALUES).matched();
    }
}
