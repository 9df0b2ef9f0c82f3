package dev.rolebridge.internal.mapping;

import dev.rolebridge.internal.mapping.MappingOutcome.Step;
import dev.rolebridge.internal.mapping.MappingOutcome.Step.Kind;
import dev.rolebridge.sync.ClaimGroups;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps one login's provider groups and claims to the application groups and roles the user should
 * have: a pure function of its arguments and the {@link MappingConfig}, with a trace of every decision.
 * It reads and writes nothing; the caller loads the state and stores the {@link MappingOutcome}.
 *
 * <pre>{@code
 * GroupMapper mapper = new GroupMapper(MappingConfig.parse(initParams));
 * MappingOutcome outcome = mapper.map(login, store.appGroups(), store.state(login));
 * // dry run for an administrator, nothing logged:
 * MappingOutcome preview = mapper.explain(ClaimGroups.of(List.of("engineers")), Map.of(), store.appGroups(), UserState.newUser());
 * }</pre>
 *
 * <h2>Steps</h2>
 * <ol>
 *   <li><b>Bounds.</b> A groups claim with more than {@code maxGroups} names, or a name longer than
 *       {@code maxGroupNameLength}, refuses the login with a {@link MembershipSyncException} naming the
 *       count or length (never the list).</li>
 *   <li><b>Groups claim.</b> Each IdP group with a {@code groupMappings} entry maps to its targets;
 *       any other maps by name to the app group of exactly that name (full paths are compared whole:
 *       {@code /tenant-b/admin} never becomes {@code admin}). Names matching nothing are ignored, or
 *       become new groups with {@code autoCreateGroups}. A <em>missing</em> claim maps nothing and
 *       removes nothing (claim rules and hardcoded groups may still add); an <em>empty</em> claim maps
 *       nothing and so removes the synced memberships.</li>
 *   <li><b>Claim rules, then hardcoded groups.</b> A target that does not exist is skipped with a
 *       trace line and a warning, and the login goes on (unless {@code autoCreateGroups}, which
 *       applies to every kind of target).</li>
 *   <li><b>Sync modes</b>, per group ({@link MappingConfig#syncModeOf(String)}): {@code FORCE} adds and
 *       removes; {@code ADD_ONLY} never removes; {@code IMPORT} changes membership only at the first
 *       login.</li>
 *   <li><b>Default group.</b> When no group the user ends up in (synced or from another source) grants
 *       a ranked role, the user joins {@code defaultGroup}. This one rule covers "nothing matched" and "only
 *       custom groups that grant nothing matched" alike: either way the user holds the lowest role
 *       through its group. A missing claim keeps the current groups, so the default group is added
 *       then only if those grant no role either.</li>
 *   <li><b>Roles.</b> The primary role is the highest ranked role granted by the user's groups (synced
 *       and other sources), else the lowest role. With {@code promoteOnly}, a login in which no group from
 *       the groups claim or a claim rule grants a ranked role keeps the stored role, unless the user's
 *       groups grant a higher one. The effective roles are the primary role, with {@code roleHierarchy}
 *       every lower-ranked role, and every other role (ranked or not) any of the user's groups grants.</li>
 * </ol>
 *
 * <p>{@link #map} logs each warning and skipped rule through SLF4J, and the rest of the trace at
 * {@code DEBUG}; a warning that two app groups differ only by case is logged once per mapper.
 * {@link #explain} returns the same outcome and logs nothing. Instances are immutable apart from that
 * log bookkeeping, and thread-safe.
 */
public final class GroupMapper {

    private static final Logger LOG = dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(GroupMapper.class));
    private static final int IGNORED_NAMES_SHOWN = 20;
    private static final int NAME_PREFIX_SHOWN = 40;

    private final MappingConfig config;
    private final Set<String> loggedCollisions = ConcurrentHashMap.newKeySet();

    public GroupMapper(MappingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public MappingConfig config() {
        return config;
    }

    /**
     * Maps a verified login.
     *
     * @param appGroups every app group that exists, with the role the application stored for it
     * @param current the user's memberships and role before this login
     * @throws MembershipSyncException when the groups claim exceeds {@code maxGroups} or {@code maxGroupNameLength}
     */
    public MappingOutcome map(LoginIdentity login, Collection<AppGroup> appGroups, UserState current) {
        Objects.requireNonNull(login, "login");
        return map(login.groups(), login.claims(), appGroups, current);
    }

    /**
     * Maps a groups claim and claims that did not arrive as a {@link LoginIdentity}, e.g. from a push.
     *
     * @throws MembershipSyncException when the groups claim exceeds {@code maxGroups} or {@code maxGroupNameLength}
     */
    public MappingOutcome map(
            ClaimGroups groups, Map<String, ?> claims, Collection<AppGroup> appGroups, UserState current) {
        return new Run(groups, claims, appGroups, current, true, true).outcome();
    }

    /**
     * Dry run: what {@link #map} would decide for these claims and this state, with the trace that
     * explains it, for an administrator testing rules. Logs nothing and changes nothing.
     *
     * @throws MembershipSyncException when the groups claim exceeds {@code maxGroups} or {@code maxGroupNameLength}
     */
    public MappingOutcome explain(
            ClaimGroups groups, Map<String, ?> claims, Collection<AppGroup> appGroups, UserState current) {
        return new Run(groups, claims, appGroups, current, false, true).outcome();
    }

    /**
     * The app groups that the groups a provider pushed for one user (SCIM) land in, mapped as values of the
     * groups claim are: by {@code groupMappings}, else by name, with the same case rules; with {@code
     * autoCreateGroups} a name that matches nothing is planned for creation. A login's other rules (claim
     * rules, hardcoded groups, sync modes, the default group, the bounds on a token's groups claim) do not
     * apply: the pushed groups are stored rows, not a token. Logs nothing.
     *
     * @param providerGroups the display names of the pushed groups the user is a member of
     * @param appGroups every app group that exists, with the roles stored for it
     */
    public Pushed mapPushed(Collection<String> providerGroups, Collection<AppGroup> appGroups) {
        Run run = new Run(
                ClaimGroups.of(List.copyOf(providerGroups)),
                Map.of(),
                appGroups,
                new UserState(false, Set.of(), Set.of(), null),
                false,
                false);
        run.mapGroupsClaim();
        return new Pushed(
                List.copyOf(run.mapped.values()),
                run.toCreate.entrySet().stream()
                        .filter(e -> run.mapped.containsKey(e.getKey()))
                        .map(Map.Entry::getValue)
                        .toList(),
                run.trace.stream()
                        .filter(step -> step.kind() == Kind.FIRED)
                        .map(Step::toString)
                        .toList());
    }

    /**
     * What a user's pushed groups map to.
     *
     * @param groups the app groups, by their names as stored (or planned)
     * @param toCreate the groups among them that do not exist yet ({@code autoCreateGroups})
     * @param rules the rules that fired, one trace line each, for the audit trail
     */
    public record Pushed(List<String> groups, List<AppGroup> toCreate, List<String> rules) {

        public Pushed {
            groups = List.copyOf(groups);
            toCreate = List.copyOf(toCreate);
            rules = List.copyOf(rules);
        }
    }

    /**
     * The roles a user's stored groups give, computed exactly as a login computes them from the groups the user
     * ends up in, for a signed-in session that re-reads its groups from the store: the roles each group grants
     * (the known roles stored for it, else the configured ones), the primary role (the highest ranked one
     * granted, else the lowest role; with {@code promoteOnly}, the stored role when it is higher, as for a
     * login that carries no role-granting group), and the effective roles ({@code roleHierarchy} included). No
     * group is added or removed (a default or hardcoded group joins at the next login), nothing is logged.
     *
     * @param userGroups every group the user is in, from any source, each with the roles stored for it
     * @param storedPrimaryRole the primary role the store holds for the user, or {@code null}
     */
    public Roles rolesOf(Collection<AppGroup> userGroups, String storedPrimaryRole) {
        Set<String> names = new LinkedHashSet<>();
        userGroups.forEach(group -> names.add(group.name()));
        Run run = new Run(
                ClaimGroups.missing(),
                Map.of(),
                userGroups,
                new UserState(false, Set.of(), names, storedPrimaryRole),
                false,
                true);
        return run.roles();
    }

    /**
     * The roles of a user's groups.
     *
     * @param primaryRole the highest ranked role held (never {@code null})
     * @param effectiveRoles every role held, as {@link MappingOutcome#effectiveRoles()}
     */
    public record Roles(String primaryRole, List<String> effectiveRoles) {

        public Roles {
            Objects.requireNonNull(primaryRole, "primaryRole");
            effectiveRoles = List.copyOf(effectiveRoles);
        }
    }

    /** The state of one mapping; used once. */
    private final class Run {

        private final ClaimGroups groups;
        private final Map<String, ?> claims;
        private final UserState current;
        private final boolean log;
        private final Map<String, AppGroup> appGroups = new LinkedHashMap<>();
        private final Map<String, AppGroup> toCreate = new LinkedHashMap<>();
        /** What the login maps to, by key, before sync modes apply. */
        private final Map<String, String> mapped = new LinkedHashMap<>();
        /** Keys of groups reached from the groups claim or a claim rule (for promoteOnly). */
        private final Set<String> fromLogin = new HashSet<>();

        private final Set<String> unknownGrantsReported = new HashSet<>();
        private final List<Step> trace = new ArrayList<>();
        /** The names of the groups claim that mapped to nothing, in claim order ({@link #mapGroupsClaim}). */
        private final List<String> unmapped = new ArrayList<>();

        Run(
                ClaimGroups groups,
                Map<String, ?> claims,
                Collection<AppGroup> appGroups,
                UserState current,
                boolean log,
                boolean bounded) {
            this.groups = Objects.requireNonNull(groups, "groups");
            this.claims = Objects.requireNonNull(claims, "claims");
            this.current = Objects.requireNonNull(current, "current");
            this.log = log;
            if (bounded) {
                checkBounds();
            }
            index(Objects.requireNonNull(appGroups, "appGroups"));
        }

        MappingOutcome outcome() {
            mapGroupsClaim();
            applyClaimRules();
            for (String group : config.hardcodedGroups()) {
                mapTo(group, "hardcodedGroups", false);
            }

            Map<String, String> before = keyed(current.syncedGroups());
            Map<String, String> desired = applySyncModes(before);
            addDefaultGroupIfNoRole(desired, before);

            List<String> toAdd = desired.entrySet().stream()
                    .filter(e -> !before.containsKey(e.getKey()))
                    .map(Map.Entry::getValue)
                    .toList();
            List<String> toRemove = new ArrayList<>();
            before.forEach((key, name) -> {
                if (!desired.containsKey(key)) {
                    toRemove.add(name);
                    step(
                            Kind.NOTE,
                            "app group '" + name + "' removed (" + config.syncModeOf(name)
                                    + "): the login no longer maps to it");
                }
            });
            Map<String, String> held = heldRoles(desired);
            String role = resolveRole(desired, held);
            List<AppGroup> create = toCreate.entrySet().stream()
                    .filter(e -> desired.containsKey(e.getKey()))
                    .map(Map.Entry::getValue)
                    .toList();
            if (create.size() > config.maxCreatedGroupsPerLogin()) {
                throw new MembershipSyncException("The login would create " + create.size() + " app groups"
                        + " (autoCreateGroups), more than maxCreatedGroupsPerLogin ("
                        + config.maxCreatedGroupsPerLogin() + "); the login is refused and nothing is created."
                        + " Map the provider's groups with groupMappings, or raise maxCreatedGroupsPerLogin.");
            }
            return new MappingOutcome(
                    List.copyOf(desired.values()),
                    toAdd,
                    toRemove,
                    create,
                    current.primaryRole(),
                    role,
                    effectiveRoles(role, held),
                    trace,
                    unmapped);
        }

        /** The roles of the groups the user holds, none of them from this mapping (see {@link #rolesOf}). */
        Roles roles() {
            Map<String, String> fromLogin = Map.of();
            Map<String, String> held = heldRoles(fromLogin);
            String role = resolveRole(fromLogin, held);
            return new Roles(role, effectiveRoles(role, held));
        }

        private void checkBounds() {
            List<String> names = groups.names();
            if (names.size() > config.maxGroups()) {
                throw new MembershipSyncException("The groups claim lists " + names.size()
                        + " groups, more than maxGroups (" + config.maxGroups() + "); the login is refused."
                        + " Raise maxGroups or have the provider send fewer groups.");
            }
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (name.length() > config.maxGroupNameLength()) {
                    throw new MembershipSyncException("Group " + (i + 1) + " of " + names.size()
                            + " in the groups claim is " + name.length() + " characters long, more than"
                            + " maxGroupNameLength (" + config.maxGroupNameLength() + "); the login is refused."
                            + " The name begins '"
                            + name.substring(0, Math.min(NAME_PREFIX_SHOWN, config.maxGroupNameLength())) + "'.");
                }
            }
        }

        private void index(Collection<AppGroup> groupsThatExist) {
            for (AppGroup group : groupsThatExist) {
                String key =
                        config.key(Objects.requireNonNull(group, "app group").name());
                AppGroup first = appGroups.putIfAbsent(key, group);
                if (first != null && !first.name().equals(group.name())) {
                    String message = "app groups '" + first.name() + "' and '" + group.name()
                            + "' differ only by case; caseInsensitive treats them as one, '" + first.name() + "'";
                    trace.add(new Step(Kind.WARNING, message));
                    if (log && loggedCollisions.add(key)) {
                        LOG.warn("Group mapping: {}", message);
                    }
                }
            }
        }

        private void mapGroupsClaim() {
            if (!groups.present()) {
                step(Kind.WARNING, "groups claim missing: memberships are left as they are and none is removed");
                return;
            }
            if (groups.names().isEmpty()) {
                step(Kind.NOTE, "groups claim present and empty: the login maps to no IdP group");
            }
            List<String> ignored = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String name : groups.names()) {
                if (!seen.add(config.key(name))) {
                    continue;
                }
                List<String> targets = config.mappingFor(name);
                if (targets != null) {
                    targets.forEach(target -> mapTo(target, "groupMappings: IdP group '" + name + "'", true));
                } else if (!name.isBlank() && (lookup(name) != null || config.autoCreateGroups())) {
                    mapTo(name, "by name: IdP group '" + name + "'", true);
                } else {
                    ignored.add(name);
                }
            }
            unmapped.addAll(ignored);
            if (!ignored.isEmpty()) {
                step(
                        Kind.NOTE,
                        ignored.size() + (ignored.size() == 1 ? " IdP group matches" : " IdP groups match")
                                + " no app group and no groupMappings entry, ignored: "
                                + ignored.stream()
                                        .limit(IGNORED_NAMES_SHOWN)
                                        .map(n -> "'" + n + "'")
                                        .collect(Collectors.joining(", "))
                                + (ignored.size() > IGNORED_NAMES_SHOWN
                                        ? " and " + (ignored.size() - IGNORED_NAMES_SHOWN) + " more"
                                        : ""));
            }
        }

        private void applyClaimRules() {
            ClaimRule.Claims read = new ClaimRule.Claims(claims, config.maxGroupNameLength(), config.maxGroups());
            for (ClaimRule rule : config.claimRules()) {
                String label = "claimRules '" + rule.text() + "'";
                ClaimRule.Evaluation evaluation = rule.evaluate(read);
                if (evaluation.matched()) {
                    mapTo(rule.group(), label + " (" + evaluation.reason() + ")", true);
                } else {
                    step(Kind.NOTE, label + " did not fire: " + evaluation.reason());
                }
            }
        }

        /** Resolves a rule's target and records it as mapped; a missing target is skipped or planned for creation. */
        private void mapTo(String target, String rule, boolean login) {
            AppGroup group = resolve(target, rule);
            if (group != null) {
                String key = config.key(group.name());
                mapped.putIfAbsent(key, group.name());
                if (login) {
                    fromLogin.add(key);
                }
            }
        }

        private AppGroup resolve(String target, String rule) {
            AppGroup group = lookup(target);
            if (group == null) {
                if (!config.autoCreateGroups()) {
                    step(
                            Kind.SKIPPED,
                            rule + " -> '" + target + "' skipped: app group '" + target + "' does not exist");
                    return null;
                }
                group = new AppGroup(target, config.rolesGrantedByName(target));
                toCreate.put(config.key(target), group);
                step(Kind.NOTE, "app group '" + target + "' does not exist and will be created (autoCreateGroups)");
            }
            step(Kind.FIRED, rule + " -> app group '" + group.name() + "'");
            return group;
        }

        /** The existing (or planned) app group {@code name} refers to; the lowest role's name stands for the default group. */
        private AppGroup lookup(String name) {
            AppGroup group = existing(name);
            return group == null && config.isLowestRoleName(name) ? existing(config.defaultGroup()) : group;
        }

        private AppGroup existing(String name) {
            String key = config.key(name);
            AppGroup group = appGroups.get(key);
            return group != null ? group : toCreate.get(key);
        }

        private Map<String, String> applySyncModes(Map<String, String> before) {
            Map<String, String> desired = new LinkedHashMap<>();
            mapped.forEach((key, name) -> {
                if (before.containsKey(key) || mayAdd(name)) {
                    desired.put(key, name);
                } else {
                    step(Kind.NOTE, "app group '" + name + "' not added (IMPORT): not the user's first login");
                }
            });
            before.forEach((key, name) -> {
                if (desired.containsKey(key)) {
                    return;
                }
                SyncMode mode = config.syncModeOf(name);
                if (!groups.present()) {
                    desired.put(key, name);
                } else if (mode == SyncMode.ADD_ONLY || (mode == SyncMode.IMPORT && !current.firstLogin())) {
                    desired.put(key, name);
                    step(
                            Kind.NOTE,
                            "app group '" + name + "' kept (" + mode + ") although the login no longer maps to it");
                }
            });
            return desired;
        }

        private boolean mayAdd(String group) {
            return current.firstLogin() || config.syncModeOf(group) != SyncMode.IMPORT;
        }

        private void addDefaultGroupIfNoRole(Map<String, String> desired, Map<String, String> before) {
            boolean granted = desired.values().stream().anyMatch(g -> rankedRoleOf(g) != null)
                    || current.otherGroups().stream().anyMatch(g -> rankedRoleOf(g) != null);
            if (granted) {
                return;
            }
            String defaultGroup = config.defaultGroup();
            if (!before.containsKey(config.key(defaultGroup)) && !mayAdd(defaultGroup)) {
                step(Kind.NOTE, "default group '" + defaultGroup + "' not added (IMPORT): not the user's first login");
                return;
            }
            AppGroup group = resolve(defaultGroup, "defaultGroup: no other group grants a ranked role");
            if (group != null) {
                desired.putIfAbsent(config.key(group.name()), group.name());
            }
        }

        /** Every role the user's groups (synced and other sources) grant, with the first group granting it. */
        private Map<String, String> heldRoles(Map<String, String> desired) {
            Map<String, String> held = new LinkedHashMap<>();
            List<String> groupsHeld = new ArrayList<>(desired.values());
            groupsHeld.addAll(current.otherGroups());
            for (String group : groupsHeld) {
                for (String role : rolesOf(group)) {
                    held.putIfAbsent(role, group);
                }
            }
            return held;
        }

        private String resolveRole(Map<String, String> desired, Map<String, String> held) {
            String best = null;
            boolean loginGrants = false;
            for (Map.Entry<String, String> entry : held.entrySet()) {
                String role = entry.getKey();
                if (!config.isRanked(role)) {
                    continue;
                }
                if (best == null || config.rank(role) < config.rank(best)) {
                    best = role;
                }
            }
            List<String> groupsHeld = new ArrayList<>(desired.values());
            groupsHeld.addAll(current.otherGroups());
            for (String group : groupsHeld) {
                loginGrants |= rankedRoleOf(group) != null
                        && fromLogin.contains(config.key(group))
                        && desired.containsKey(config.key(group));
            }
            String stored = config.canonicalRole(current.primaryRole());
            if (current.primaryRole() != null && (stored == null || !config.isRanked(stored))) {
                step(
                        Kind.WARNING,
                        "stored role '" + current.primaryRole() + "' is not in rolePriority and is replaced");
                stored = null;
            }
            if (config.promoteOnly()
                    && !loginGrants
                    && stored != null
                    && (best == null || config.rank(stored) <= config.rank(best))) {
                step(Kind.NOTE, "role '" + stored + "' kept (promoteOnly): the login carries no role-granting group");
                return stored;
            }
            if (best == null) {
                step(
                        Kind.NOTE,
                        "role '" + config.lowestRole()
                                + "': no group grants a ranked role, so the lowest role applies");
                return config.lowestRole();
            }
            step(Kind.NOTE, "role '" + best + "': the highest granted, by app group '" + held.get(best) + "'");
            return best;
        }

        /**
         * The roles the request grants: the primary role and, with {@code roleHierarchy}, every ranked role
         * below it; then every other role the user's groups grant (ranked ones by rank, then unranked ones).
         */
        private List<String> effectiveRoles(String primary, Map<String, String> held) {
            Set<String> roles = new LinkedHashSet<>();
            List<String> priority = config.rolePriority();
            if (config.roleHierarchy()) {
                List<String> below = priority.subList(config.rank(primary), priority.size());
                roles.addAll(below);
                if (below.size() > 1) {
                    step(
                            Kind.NOTE,
                            "roles " + quoted(below.subList(1, below.size())) + " held below '" + primary
                                    + "' (roleHierarchy)");
                }
            } else {
                roles.add(primary);
            }
            held.keySet().stream()
                    .filter(config::isRanked)
                    .sorted(Comparator.comparingInt(config::rank))
                    .forEach(roles::add);
            held.forEach((role, group) -> {
                if (!config.isRanked(role)) {
                    roles.add(role);
                }
                if (!role.equals(primary)) {
                    step(
                            Kind.NOTE,
                            "role '" + role + "' granted by app group '" + group + "'"
                                    + (config.isRanked(role) ? "" : " (unranked)"));
                }
            });
            return List.copyOf(roles);
        }

        /** The roles a group grants: the known roles stored for it, else the configured ones. */
        private Set<String> rolesOf(String name) {
            AppGroup group = lookup(name);
            if (group != null && !group.grantedRoles().isEmpty()) {
                Set<String> known = new LinkedHashSet<>();
                for (String stored : group.grantedRoles()) {
                    String role = config.canonicalRole(stored);
                    if (role != null) {
                        known.add(role);
                    } else if (unknownGrantsReported.add(config.key(group.name()) + "\n" + stored)) {
                        step(
                                Kind.WARNING,
                                "app group '" + group.name() + "' grants role '" + stored
                                        + "', which is not in rolePriority, not declared and not in groupRoles; that grant is ignored");
                    }
                }
                if (!known.isEmpty()) {
                    return known;
                }
            }
            return config.rolesGrantedByName(group != null ? group.name() : name);
        }

        /** The highest ranked role a group grants, or {@code null} when it grants none. */
        private String rankedRoleOf(String name) {
            String best = null;
            for (String role : rolesOf(name)) {
                if (config.isRanked(role) && (best == null || config.rank(role) < config.rank(best))) {
                    best = role;
                }
            }
            return best;
        }

        private Map<String, String> keyed(Collection<String> names) {
            Map<String, String> byKey = new LinkedHashMap<>();
            names.forEach(name -> byKey.putIfAbsent(config.key(name), name));
            return byKey;
        }

        private static String quoted(List<String> names) {
            return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        }

        private void step(Kind kind, String message) {
            trace.add(new Step(kind, message));
            if (!log) {
                return;
            }
            if (kind == Kind.WARNING || kind == Kind.SKIPPED) {
                LOG.warn("Group mapping: {}", message);
            } else {
                LOG.debug("Group mapping: {}", message);
            }
        }
    }
}
