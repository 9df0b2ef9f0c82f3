package dev.rolebridge.internal.store;

import java.util.Objects;

/**
 * A row of the mapping-rule table as the administration page shows it: the rule, its row id, and whether it
 * applies or switches a configured rule off.
 *
 * @param id the row's id
 * @param rule the rule; its origin says who wrote it ({@link Origin#CONFIG} rows mirror the configuration)
 * @param action whether the row applies its rule or, for an administrator's row, switches the configured rule
 *     of the same kind, text and target off
 * @param position the row's place among the rules of its origin
 */
public record StoredRule(long id, MappingRule rule, Action action, int position) {

    public StoredRule {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(action, "action");
    }

    /** What a row does. */
    public enum Action {
        /** The rule applies. */
        APPLY,
        /** An administrator switched the configured rule of the same kind, text and target off. */
        DISABLE
    }
}
