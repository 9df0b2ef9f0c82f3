package dev.rolebridge.internal.store;

import dev.rolebridge.internal.mapping.SyncMode;
import java.util.Objects;

/**
 * One row of the mapping-rule table ({@code RB_MAPPING_RULE}), as {@link MembershipStore#mappingRules()}
 * lists it: a rule from the configuration ({@link Origin#CONFIG}) or added by an administrator
 * ({@link Origin#ADMIN}).
 *
 * @param kind which kind of rule
 * @param text the rule as written in its parameter's grammar, e.g. {@code engineers = all apps}
 * @param targetGroup the application group the rule puts users in, verbatim
 * @param syncMode the rule's own sync mode, or {@code null} when the global {@code syncMode} applies
 * @param origin who wrote the rule
 */
public record MappingRule(Kind kind, String text, String targetGroup, SyncMode syncMode, Origin origin) {

    public MappingRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(targetGroup, "targetGroup");
        Objects.requireNonNull(origin, "origin");
    }

    /** The rule kinds of the design's mapping table. */
    public enum Kind {
        /** {@code groupMappings}: an IdP group maps to an app group (one row per target). */
        GROUP_MAPPING,
        /** {@code claimRules}: claims that all match put the user in an app group. */
        CLAIM_RULE,
        /** {@code hardcodedGroups}: every user joins the app group. */
        HARDCODED_GROUP,
        /** {@code defaultGroup}: users no group gives a role join it. */
        DEFAULT_GROUP
    }
}
