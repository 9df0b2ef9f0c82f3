package dev.rolebridge.internal.admin;

import dev.rolebridge.internal.config.AdminSettings;
import dev.rolebridge.internal.mapping.Administered;
import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.ClaimRule;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.mapping.MappingConfigException;
import dev.rolebridge.internal.mapping.MappingOutcome;
import dev.rolebridge.internal.mapping.UserState;
import dev.rolebridge.internal.scim.ScimGate;
import dev.rolebridge.internal.store.AuditEvent;
import dev.rolebridge.internal.store.AuditQuery;
import dev.rolebridge.internal.store.MappingRule;
import dev.rolebridge.internal.store.MembershipDetail;
import dev.rolebridge.internal.store.MembershipSource;
import dev.rolebridge.internal.store.MembershipStore;
import dev.rolebridge.internal.store.MembershipStoreException;
import dev.rolebridge.internal.store.Origin;
import dev.rolebridge.internal.store.Page;
import dev.rolebridge.internal.store.ScimToken;
import dev.rolebridge.internal.store.StoredRule;
import dev.rolebridge.internal.store.StoredUser;
import dev.rolebridge.internal.store.UnmappedGroup;
import dev.rolebridge.internal.sync.GroupsExtractor;
import dev.rolebridge.internal.sync.LiveMapping;
import dev.rolebridge.sync.ClaimGroups;
import dev.rolebridge.sync.MembershipSyncException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What an administrator does, independent of HTTP: every change is validated as the start-up configuration is
 * (the same parser, the same messages, plus the check that target groups exist) before it is stored, and the
 * mapping in force is told at once. Changes are audited with the administrator's name ({@code actedBy}).
 * Every refusal is an {@link AdminException} naming the field and the reason.
 */
public final class AdminService {

    /** The rule kinds an administrator writes, by the names of their parameters. */
    public enum RuleKind {
        GROUP_MAPPING("groupMapping"),
        CLAIM_RULE("claimRule"),
        HARDCODED_GROUP("hardcodedGroup");

        private final String value;

        RuleKind(String value) {
            this.value = value;
        }

        /** The name in the API and the page. */
        public String value() {
            return value;
        }

        static RuleKind parse(String text) {
            for (RuleKind kind : values()) {
                if (kind.value.equalsIgnoreCase(text)) {
                    return kind;
                }
            }
            throw AdminException.invalid("kind", "expected groupMapping, claimRule or hardcodedGroup");
        }

        /** The name of a stored kind in the API and the page. */
        static String of(MappingRule.Kind kind) {
            return switch (kind) {
                case GROUP_MAPPING -> "groupMapping";
                case CLAIM_RULE -> "claimRule";
                case HARDCODED_GROUP -> "hardcodedGroup";
                case DEFAULT_GROUP -> "defaultGroup";
            };
        }
    }

    /**
     * A row of the rule table with whether it is in force.
     *
     * @param row the stored row
     * @param inForce for a configured rule, whether no administrator switched it off; for an administrator's
     *     rule, true; for a switching off, whether it still names a configured rule
     */
    public record RuleView(StoredRule row, boolean inForce) {}

    /**
     * What the dry run found.
     *
     * @param outcome what a login with those claims would get: groups, roles, the trace of the rules
     * @param user the user the run was for, or {@code null} for a new user
     */
    public record DryRun(MappingOutcome outcome, StoredUser user) {}

    /** How long the unmapped-groups list looks back. */
    public static final java.time.Duration UNMAPPED_WINDOW = java.time.Duration.ofDays(30);

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final Supplier<MembershipStore> store;
    private final LiveMapping mapping;
    private final AdminSettings settings;
    private final GroupsExtractor groups;
    private final ScimGate scim;
    private final java.net.URI scimUrl;

    /**
     * @param scim the SCIM endpoint's gate, or {@code null} when there is no endpoint
     * @param scimUrl the SCIM endpoint's public URL, or {@code null}
     */
    public AdminService(
            Supplier<MembershipStore> store,
            LiveMapping mapping,
            AdminSettings settings,
            List<String> groupsClaims,
            ScimGate scim,
            java.net.URI scimUrl) {
        this.store = Objects.requireNonNull(store, "store");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.groups = new GroupsExtractor(groupsClaims);
        this.scim = scim;
        this.scimUrl = scimUrl;
    }

    AdminSettings settings() {
        return settings;
    }

    MembershipStore store() {
        return store.get();
    }

    LiveMapping mapping() {
        return mapping;
    }

    // --- rules

    /** Every rule row, configured first, each with whether it is in force. */
    public List<RuleView> rules() {
        List<StoredRule> rows = store().ruleTable();
        List<StoredRule> off = rows.stream()
                .filter(r -> r.action() == StoredRule.Action.DISABLE)
                .toList();
        List<RuleView> views = new ArrayList<>();
        for (StoredRule row : rows) {
            boolean inForce;
            if (row.rule().origin() == Origin.CONFIG) {
                inForce = off.stream().noneMatch(d -> same(d.rule(), row.rule()));
            } else if (row.action() == StoredRule.Action.DISABLE) {
                inForce = rows.stream().anyMatch(r -> r.rule().origin() == Origin.CONFIG && same(r.rule(), row.rule()));
            } else {
                inForce = true;
            }
            views.add(new RuleView(row, inForce));
        }
        return views;
    }

    /**
     * Adds an administrator's rule: for a group mapping, {@code IdP group = app group, app group} (one row per
     * app group); for a claim rule, the {@code claimRules} grammar; for a hardcoded group, its name. Applies
     * from the next login.
     *
     * @return the rows added
     */
    public List<StoredRule> addRule(String kind, String text, String actedBy) {
        List<MappingRule> rules = parse(RuleKind.parse(kind), text);
        check(mapping.rules().with(administered(rules)), "text");
        List<StoredRule> added = new ArrayList<>();
        for (MappingRule rule : rules) {
            added.add(storing(() -> store().addRule(rule, actedBy)));
        }
        mapping.changed();
        return added;
    }

    /** Replaces an administrator's own rule with {@code text} (a group mapping keeps to one app group). */
    public StoredRule changeRule(long id, String text, String actedBy) {
        StoredRule row = ownRule(id);
        List<MappingRule> rules = parse(kindOf(row), text);
        if (rules.size() != 1) {
            throw AdminException.invalid("text", "a rule row maps to one app group; add a rule for each other one");
        }
        Administered others = administeredWithout(id);
        check(others.with(administered(rules)), "text");
        StoredRule changed = storing(() -> store().changeRule(id, rules.get(0), actedBy))
                .orElseThrow(() -> AdminException.notFound("No administrator's rule " + id));
        mapping.changed();
        return changed;
    }

    /** Deletes an administrator's row: a rule of their own, or a switching off (the configured rule applies again). */
    public void deleteRule(long id, String actedBy) {
        if (!storing(() -> store().deleteRule(id, actedBy))) {
            throw AdminException.notFound(
                    "No administrator's rule " + id + "; a configured rule is switched off, not" + " deleted");
        }
        mapping.changed();
    }

    /** Switches a configured rule off (kept across restarts); {@link #deleteRule} of the returned row undoes it. */
    public StoredRule disableRule(long id, String actedBy) {
        StoredRule row = storing(() -> store().disableRule(id, actedBy));
        mapping.changed();
        return row;
    }

    private StoredRule ownRule(long id) {
        return store().ruleTable().stream()
                .filter(r -> r.id() == id && r.rule().origin() == Origin.ADMIN && r.action() == StoredRule.Action.APPLY)
                .findFirst()
                .orElseThrow(() -> AdminException.notFound("No administrator's rule " + id
                        + "; configured rules are changed by switching them off and adding one"));
    }

    private static RuleKind kindOf(StoredRule row) {
        return switch (row.rule().kind()) {
            case GROUP_MAPPING -> RuleKind.GROUP_MAPPING;
            case CLAIM_RULE -> RuleKind.CLAIM_RULE;
            case HARDCODED_GROUP -> RuleKind.HARDCODED_GROUP;
            case DEFAULT_GROUP -> throw AdminException.invalid("id", "the default group is set by defaultGroup");
        };
    }

    /** The rules an administrator's text stands for, checked against the app groups that exist. */
    private List<MappingRule> parse(RuleKind kind, String text) {
        if (text == null || text.isBlank()) {
            throw AdminException.invalid("text", "is empty");
        }
        String written = text.strip();
        List<MappingRule> rules = new ArrayList<>();
        switch (kind) {
            case GROUP_MAPPING -> {
                Map.Entry<String, List<String>> entry = MappingConfig.groupMappingEntry(written);
                if (entry == null) {
                    throw AdminException.invalid(
                            "text", "expected 'IdP group = app group, app group', e.g. 'contractors = end-users'");
                }
                for (String target : new LinkedHashSet<>(entry.getValue())) {
                    requireGroup(target);
                    rules.add(new MappingRule(
                            MappingRule.Kind.GROUP_MAPPING,
                            MappingConfig.groupMappingText(entry.getKey(), target),
                            target,
                            null,
                            Origin.ADMIN));
                }
            }
            case CLAIM_RULE -> {
                ClaimRule rule;
                try {
                    rule = ClaimRule.parse(written);
                } catch (IllegalArgumentException e) {
                    throw AdminException.invalid("text", e.getMessage());
                }
                requireGroup(rule.group());
                rules.add(new MappingRule(
                        MappingRule.Kind.CLAIM_RULE, rule.text(), rule.group(), rule.mode(), Origin.ADMIN));
            }
            case HARDCODED_GROUP -> {
                requireGroup(written);
                rules.add(new MappingRule(
                        MappingRule.Kind.HARDCODED_GROUP,
                        MappingConfig.escapeName(written),
                        written,
                        null,
                        Origin.ADMIN));
            }
        }
        return rules;
    }

    private void requireGroup(String name) {
        MappingConfig config = mapping.config();
        if (config.autoCreateGroups()) {
            return;
        }
        boolean exists = store().appGroups().stream()
                .anyMatch(g -> config.caseInsensitive()
                        ? g.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))
                        : g.name().equals(name));
        if (!exists && !config.isLowestRoleName(name)) {
            throw AdminException.invalid(
                    "text", "app group '" + name + "' does not exist; give a group its roles under Groups first");
        }
    }

    /** Fails with the start-up check's problems when the configuration with {@code rules} does not hold together. */
    private void check(Administered rules, String field) {
        try {
            mapping.configured().administered(rules);
        } catch (MappingConfigException e) {
            throw AdminException.invalid(field, String.join("; ", e.problems()));
        }
    }

    private Administered administeredWithout(long id) {
        List<MappingRule> kept = new ArrayList<>();
        for (StoredRule row : store().ruleTable()) {
            if (row.rule().origin() == Origin.ADMIN && row.id() != id && row.action() == StoredRule.Action.APPLY) {
                kept.add(row.rule());
            }
        }
        Administered rules = administered(kept);
        Administered current = mapping.rules();
        return new Administered(
                rules.groupMappings(),
                rules.claimRules(),
                rules.hardcodedGroups(),
                current.disabledGroupMappings(),
                current.disabledClaimRules(),
                current.disabledHardcodedGroups(),
                current.rolePriority());
    }

    /** Rules as the mapping reads them back from the store. */
    private static Administered administered(List<MappingRule> rules) {
        List<Map.Entry<String, List<String>>> mappings = new ArrayList<>();
        List<String> claimRules = new ArrayList<>();
        List<String> hardcoded = new ArrayList<>();
        for (MappingRule rule : rules) {
            switch (rule.kind()) {
                case GROUP_MAPPING -> mappings.add(MappingConfig.groupMappingEntry(rule.text()));
                case CLAIM_RULE -> claimRules.add(rule.text());
                case HARDCODED_GROUP -> hardcoded.add(rule.targetGroup());
                case DEFAULT_GROUP -> {}
            }
        }
        return new Administered(mappings, claimRules, hardcoded, Set.of(), Set.of(), Set.of(), null);
    }

    private static boolean same(MappingRule a, MappingRule b) {
        return a.kind() == b.kind()
                && a.text().equals(b.text())
                && a.targetGroup().equals(b.targetGroup());
    }

    // --- roles and groups

    /** The ranked roles in force, highest first, and as configured. */
    public List<String> rolePriority() {
        return mapping.config().rolePriority();
    }

    /**
     * Sets the order of the ranked roles: the configured ranked roles, each once, with the lowest (the default
     * group's) still last; {@code null} returns to the configured order.
     */
    public void setRolePriority(List<String> rolesHighestFirst, String actedBy) {
        if (rolesHighestFirst != null) {
            List<String> configured = mapping.configured().rolePriority();
            if (rolesHighestFirst.size() != configured.size()
                    || !new LinkedHashSet<>(rolesHighestFirst).equals(new LinkedHashSet<>(configured))) {
                throw AdminException.invalid(
                        "rolePriority", "expected the ranked roles " + configured + ", each once, in a new order");
            }
            if (!rolesHighestFirst.get(rolesHighestFirst.size() - 1).equals(configured.get(configured.size() - 1))) {
                throw AdminException.invalid(
                        "rolePriority",
                        "the lowest role, '" + configured.get(configured.size() - 1)
                                + "', stays last: it is the default group's");
            }
            Administered current = mapping.rules();
            check(
                    new Administered(
                            current.groupMappings(),
                            current.claimRules(),
                            current.hardcodedGroups(),
                            current.disabledGroupMappings(),
                            current.disabledClaimRules(),
                            current.disabledHardcodedGroups(),
                            rolesHighestFirst),
                    "rolePriority");
        }
        storing(() -> {
            store().setRolePriority(rolesHighestFirst, actedBy);
            return null;
        });
        mapping.changed();
    }

    /** Every app group with the roles it grants. */
    public List<AppGroup> groups() {
        return storing(() -> store().appGroups());
    }

    /** Gives app group {@code name} (created when missing) exactly these roles; members' sessions follow. */
    public void setGrants(String name, List<String> roles, String actedBy) {
        if (name == null || name.isBlank()) {
            throw AdminException.invalid("name", "is empty");
        }
        List<String> known = mapping.config().roles();
        for (String role : roles) {
            if (!known.contains(role)) {
                throw AdminException.invalid("roles", "role '" + role + "' does not exist; the roles are " + known);
            }
        }
        storing(() -> {
            store().createGroupGranting(name.strip(), roles, actedBy);
            return null;
        });
    }

    // --- dry run

    /**
     * What a login carrying {@code claims} would get, against the app groups and rules in force now; for the
     * user {@code userId} (when given) against their stored memberships, so that the outcome's additions and
     * removals are the difference from what they have. Nothing is written.
     */
    public DryRun dryRun(Map<String, Object> claims, Long userId) {
        Objects.requireNonNull(claims, "claims");
        ClaimGroups claimGroups = groups.extract(claims);
        StoredUser user = null;
        UserState state = UserState.newUser();
        if (userId != null) {
            user = user(userId);
            Set<String> synced = new LinkedHashSet<>();
            Set<String> other = new LinkedHashSet<>();
            for (StoredUser.Membership m : user.memberships()) {
                (m.source() == MembershipSource.OIDC ? synced : other).add(m.group());
            }
            state = new UserState(user.lastLogin() == null, synced, other, user.primaryRole());
        }
        try {
            return new DryRun(mapping.mapper().explain(claimGroups, claims, store().appGroups(), state), user);
        } catch (MembershipSyncException e) {
            throw AdminException.invalid("claims", e.getMessage());
        }
    }

    // --- users and memberships

    /** The user of this store id. */
    public StoredUser user(long id) {
        return storing(() -> store().findUserById(id)).orElseThrow(() -> AdminException.notFound("No user " + id));
    }

    /**
     * Adds ({@code add}) or removes a {@code MANUAL} membership; with {@code lockSyncedGroups}, refused for a group
     * that sync manages (a target of a rule in force, or held by someone from a login or SCIM).
     */
    public StoredUser changeManual(long userId, String group, boolean add, String actedBy) {
        if (group == null || group.isBlank()) {
            throw AdminException.invalid("group", "is empty");
        }
        StoredUser user = user(userId);
        if (settings.lockSyncedGroups() && managedBySync(group)) {
            throw AdminException.conflict(
                    "group",
                    "app group '" + group + "' is managed by sync (lockSyncedGroups): logins and SCIM decide who is in"
                            + " it; change the mapping rules instead");
        }
        if (add && store().appGroups().stream().noneMatch(g -> g.name().equals(group))) {
            throw AdminException.invalid("group", "app group '" + group + "' does not exist");
        }
        storing(() -> {
            store().changeMemberships(
                            user.issuer(),
                            user.subject(),
                            MembershipSource.MANUAL,
                            MembershipStore.ACTOR_ADMIN,
                            actedBy,
                            add ? List.of(group) : List.of(),
                            add ? List.of() : List.of(group));
            return null;
        });
        return user(userId);
    }

    /** Whether sync manages app group {@code name}: a target of a rule in force, the default group, or held from sync. */
    public boolean managedBySync(String name) {
        MappingConfig config = mapping.config();
        boolean target = name.equals(config.defaultGroup())
                || config.hardcodedGroups().contains(name)
                || config.claimRules().stream().anyMatch(r -> r.group().equals(name))
                || config.groupMappings().values().stream().anyMatch(targets -> targets.contains(name));
        return target || storing(() -> store().heldFromSync(name));
    }

    // --- users, audit trail, unmapped groups

    /** Users whose name, e-mail or subject contains {@code query} (all when blank), a page of them. */
    public Page<StoredUser> searchUsers(String query, int offset, int limit) {
        checkPage(offset, limit);
        return storing(() -> store().searchUsers(query, offset, limit));
    }

    /** Each membership of a user with when and by whom (and which rules) it came. */
    public List<MembershipDetail> membershipDetails(StoredUser user) {
        return storing(() -> store().membershipDetails(user.issuer(), user.subject()))
                .orElse(List.of());
    }

    /** A page of the audit trail, newest first. */
    public Page<AuditEvent> auditTrail(AuditQuery query, int offset, int limit) {
        checkPage(offset, limit);
        return storing(() -> store().auditTrail(query, offset, limit));
    }

    /** The IdP groups logins carried in the last {@link #UNMAPPED_WINDOW} that mapped to nothing, most users first. */
    public List<UnmappedGroup> unmappedGroups(int limit) {
        checkPage(0, limit);
        return storing(() -> store().unmappedGroups(java.time.Instant.now().minus(UNMAPPED_WINDOW), limit));
    }

    private static void checkPage(int offset, int limit) {
        if (offset < 0) {
            throw AdminException.invalid("offset", "expected 0 or more");
        }
        if (limit < 1 || limit > MembershipStore.MAX_PAGE_SIZE) {
            throw AdminException.invalid("limit", "expected 1 to " + MembershipStore.MAX_PAGE_SIZE);
        }
    }

    // --- provisioning

    /**
     * The SCIM endpoint as the provisioning page shows it.
     *
     * @param url the endpoint's URL, or {@code null} when there is none ({@code scimPath} invalid)
     * @param enabled whether it answers now
     * @param configuredToken whether {@code scimToken} is configured
     * @param tokens the tokens created here
     */
    public record Provisioning(String url, boolean enabled, boolean configuredToken, List<ScimToken> tokens) {}

    public Provisioning provisioning() {
        if (scim == null) {
            return new Provisioning(null, false, false, List.of());
        }
        return new Provisioning(
                scimUrl == null ? null : scimUrl.toString(),
                scim.enabled(),
                scim.settings().hasConfiguredToken(),
                storing(() -> store().scimTokens()));
    }

    /** Switches the SCIM endpoint on or off, on every node within {@link ScimGate#RECHECK}. */
    public void setScimEnabled(boolean enabled, String actedBy) {
        requireScim();
        storing(() -> {
            store().setSetting(
                            ScimGate.ENABLED_SETTING,
                            Boolean.toString(enabled),
                            actedBy,
                            "SCIM provisioning switched " + (enabled ? "on" : "off"));
            return null;
        });
        scim.changed();
    }

    /**
     * Creates a SCIM bearer token: 32 random bytes, base64url, shown to the caller once; the store keeps its
     * SHA-256 digest only.
     *
     * @return the token and what the store keeps of it
     */
    public Map.Entry<String, ScimToken> createScimToken(String name, String actedBy) {
        requireScim();
        if (name == null || name.isBlank() || name.length() > 255) {
            throw AdminException.invalid("name", "expected a name of 1 to 255 characters, e.g. the provider's");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token =
                "rbscim_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ScimToken stored = storing(() -> store().createScimToken(
                        name.strip(), dev.rolebridge.internal.config.ScimSettings.digestHex(token), actedBy));
        return Map.entry(token, stored);
    }

    public void revokeScimToken(String id, String actedBy) {
        requireScim();
        if (!storing(() -> store().revokeScimToken(id, actedBy))) {
            throw AdminException.notFound("No valid SCIM token " + id);
        }
    }

    private void requireScim() {
        if (scim == null) {
            throw new AdminException(409, null, "There is no SCIM endpoint: check scimPath");
        }
    }

    /** Runs a store call, turning its refusals into 400s and its failures into 503s, quoting no SQL. */
    static <T> T storing(Supplier<T> call) {
        try {
            return call.get();
        } catch (AdminException e) {
            throw e;
        } catch (MembershipStoreException e) {
            String message = e.getMessage();
            boolean refused = message != null
                    && (message.contains("does not exist")
                            || message.contains("is no configured rule")
                            || message.contains("cannot be switched off"));
            throw new AdminException(
                    refused ? 400 : 503, null, refused ? message : "The membership store failed: " + message);
        } catch (MembershipSyncException e) {
            throw new AdminException(503, null, "The membership store is not available: " + e.getMessage());
        }
    }
}
