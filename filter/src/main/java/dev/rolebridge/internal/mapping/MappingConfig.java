package dev.rolebridge.internal.mapping;

import dev.rolebridge.internal.config.Parameter;
import dev.rolebridge.internal.config.ParameterReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How identity-provider groups become application groups and roles: the tables and policies a
 * {@link GroupMapper} applies at every login. Immutable; read it from the filter's init-params with
 * {@link #parse(Map)}, or build it in code with {@link #builder()}. Invalid input fails with one
 * {@link MappingConfigException} that lists every problem.
 *
 * <pre>{@code
 * <init-param>
 *   <param-name>groupMappings</param-name>
 *   <param-value>
 *     # IdP group      = app group, app group
 *     engineers        = all apps, ops
 *     /tenant-a/admins = admin
 *   </param-value>
 * </init-param>
 * <init-param>
 *   <param-name>groupRoles</param-name>
 *   <param-value>all apps = builder</param-value>
 * </init-param>
 * <init-param>
 *   <param-name>claimRules</param-name>
 *   <param-value>department~eng.* &amp; country=NO -> engineers [ADD_ONLY]</param-value>
 * </init-param>
 * }</pre>
 * (In {@code web.xml} an ampersand is written {@code &amp;}.)
 *
 * <h2>Parameters</h2>
 * Blank values count as absent; parameters not listed here are ignored, as they belong to other parts
 * of the filter (the {@code MAPPING} part of {@link Parameter} lists these).
 * <table>
 *   <caption>Group mapping parameters</caption>
 *   <tr><th>name</th><th>default</th><th>value</th></tr>
 *   <tr><td>rolePriority</td><td>{@code admin, builder, end-user}</td><td>roles, comma-separated, highest
 *       first; the last is the lowest (default) role</td></tr>
 *   <tr><td>defaultGroup</td><td>{@code end-users}</td><td>the app group of users no group gives a role</td></tr>
 *   <tr><td>groupRoles</td><td>none</td><td>table of {@code app group = role, role}</td></tr>
 *   <tr><td>groupMappings</td><td>none</td><td>table of {@code IdP group = app group, app group}</td></tr>
 *   <tr><td>claimRules</td><td>none</td><td>table of rules, grammar in {@link ClaimRule}</td></tr>
 *   <tr><td>hardcodedGroups</td><td>none</td><td>app groups every user joins, comma-separated</td></tr>
 *   <tr><td>syncMode</td><td>{@code FORCE}</td><td>{@code FORCE}, {@code IMPORT} or {@code ADD_ONLY}
 *       ({@link SyncMode})</td></tr>
 *   <tr><td>caseInsensitive</td><td>{@code false}</td><td>compare group and role names ignoring case</td></tr>
 *   <tr><td>autoCreateGroups</td><td>{@code false}</td><td>create app groups that mappings name but do not
 *       exist</td></tr>
 *   <tr><td>promoteOnly</td><td>{@code false}</td><td>a login without a role-granting group keeps the
 *       user's role</td></tr>
 *   <tr><td>maxGroups</td><td>{@code 1000}</td><td>most groups a groups claim may carry</td></tr>
 *   <tr><td>maxCreatedGroupsPerLogin</td><td>{@code 10}</td><td>with {@code autoCreateGroups}: most app groups
 *       one login may create</td></tr>
 *   <tr><td>maxCreatedGroups</td><td>{@code 1000}</td><td>with {@code autoCreateGroups}: most app groups logins
 *       may create in all</td></tr>
 *   <tr><td>maxGroupNameLength</td><td>{@code 255}</td><td>longest group name (and longest claim value a
 *       regular expression is run on; see {@link ClaimRule})</td></tr>
 *   <tr><td>roleHierarchy</td><td>{@code true}</td><td>a ranked role implies every lower-ranked role</td></tr>
 *   <tr><td>declaredRoles</td><td>{@code true}</td><td>the application's declared roles become roles with
 *       role groups of the same name</td></tr>
 *   <tr><td>groupsAsRoles</td><td>{@code true}</td><td>{@code isUserInRole} also answers for the user's app
 *       groups</td></tr>
 * </table>
 *
 * <h2>Text grammar</h2>
 * A <em>table</em> has one entry per line; {@code ;} also ends an entry; lines starting with {@code #}
 * are comments. In {@code groupMappings} the <em>first</em> {@code =} separates the IdP group (which may
 * contain spaces and slashes, e.g. {@code /tenant-a/admins}) from its targets; in {@code groupRoles} the
 * <em>last</em> {@code =} separates the group from the role. Lists are comma-separated. Names are
 * otherwise taken verbatim: no quoting, no decoding; quotes, SQL text, {@code {#sb64}} prefixes and any
 * Unicode are just characters. To use a grammar character inside a name, escape it with a backslash:
 * {@code \;} {@code \,} {@code \=} {@code \&} {@code \#} {@code \.} {@code \~} {@code \\}. Any other
 * backslash is kept as written.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>Role groups.</b> Every role is granted by the app group of the same name ({@code admin},
 *       {@code builder}), except that the lowest role is granted by the default group
 *       ({@code end-users} grants {@code end-user}); a group named after the lowest role grants it too.
 *       Where a group is expected, the lowest role's name ({@code end-user}) means the default group
 *       unless a group of exactly that name exists, so an IdP group {@code end-user} lands in
 *       {@code end-users}.</li>
 *   <li><b>Ranked and unranked roles.</b> {@code rolePriority} ranks roles and names the primary role;
 *       every other role (a declared role, a role {@code groupRoles} names) is unranked and independent: no
 *       hierarchy among them, and they never decide the primary role.</li>
 *   <li><b>Declared roles.</b> Each role the application declares ({@link Builder#declaredRoles}) that
 *       {@code rolePriority} does not rank is an unranked role granted by the app group of the same name,
 *       so the by-name rule maps an IdP group {@code billing} onto the role {@code billing}.</li>
 *   <li><b>Which roles a group grants.</b> The roles the application stored for it
 *       ({@link AppGroup#grantedRoles()}), else those of its role group and its {@code groupRoles} entries
 *       ({@code ops = billing, audit} grants both). {@code groupRoles} may not give a role group or the
 *       default group another ranked role ({@code admin = builder} is an error); unranked roles may be
 *       added to any group.</li>
 *   <li><b>Mappings replace names.</b> An IdP group listed in {@code groupMappings} maps only to its
 *       targets, not also to an app group of its own name; this lets administrators redirect an IdP
 *       group called {@code admin}. Several entries for one IdP group add up.</li>
 *   <li><b>Sync modes belong to groups.</b> A claim rule's {@code [MODE]} applies to its target group,
 *       whatever added the user to it; two rules may not ask different modes for one group.</li>
 *   <li><b>Case.</b> With {@code caseInsensitive}, names are folded with {@link Locale#ROOT}, so the
 *       result does not depend on the server's locale (a Turkish default locale does not turn {@code I}
 *       into a dotless {@code ı}); claim values in rules still compare exactly.</li>
 * </ul>
 */
@SuppressWarnings("EscapedEntity") // the web.xml examples show "&amp;" literally, as it must be written there
public final class MappingConfig {

    private static final List<String> DEFAULT_ROLE_PRIORITY = List.of("admin", "builder", "end-user");
    private static final String DEFAULT_GROUP = "end-users";

    private final List<String> rolePriority;
    private final String defaultGroup;
    private final Map<String, List<String>> groupRoles;
    private final List<String> declaredRoles;
    private final Map<String, List<String>> groupMappings;
    private final List<ClaimRule> claimRules;
    private final List<String> hardcodedGroups;
    private final SyncMode syncMode;
    private final boolean caseInsensitive;
    private final boolean autoCreateGroups;
    private final boolean promoteOnly;
    private final boolean roleHierarchy;
    private final boolean useDeclaredRoles;
    private final boolean groupsAsRoles;
    private final int maxGroups;
    private final int maxGroupNameLength;
    private final int maxCreatedGroupsPerLogin;
    private final int maxCreatedGroups;

    // Lookups by folded name (see key()).
    private final Map<String, Integer> rankByKey = new HashMap<>();
    private final Map<String, String> roleByKey = new HashMap<>();
    private final Map<String, Set<String>> grantsByGroupKey = new HashMap<>();
    private final Map<String, List<String>> mappingsByKey = new HashMap<>();
    private final Map<String, SyncMode> modeByGroupKey = new HashMap<>();

    /** The builder's grants and declared roles as given, so that {@link #administered} can build anew. */
    private final List<Grant> grantInputs;

    private final List<String> declaredRoleInputs;

    /** Copies the builder and adds to {@code problems} whatever does not fit together. */
    private MappingConfig(Builder b, List<String> problems) {
        grantInputs = List.copyOf(b.groupRoles);
        declaredRoleInputs = List.copyOf(b.declaredRoles);
        rolePriority = List.copyOf(b.rolePriority);
        defaultGroup = b.defaultGroup;
        claimRules = List.copyOf(b.claimRules);
        hardcodedGroups = List.copyOf(b.hardcodedGroups);
        syncMode = b.syncMode;
        caseInsensitive = b.caseInsensitive;
        autoCreateGroups = b.autoCreateGroups;
        promoteOnly = b.promoteOnly;
        roleHierarchy = b.roleHierarchy;
        useDeclaredRoles = b.useDeclaredRoles;
        groupsAsRoles = b.groupsAsRoles;
        maxGroups = b.maxGroups;
        maxGroupNameLength = b.maxGroupNameLength;
        maxCreatedGroupsPerLogin = b.maxCreatedGroupsPerLogin;
        maxCreatedGroups = b.maxCreatedGroups;

        String roles = "'" + String.join(", ", rolePriority) + "'";
        if (rolePriority.isEmpty()) {
            problems.add("rolePriority: '' names no role; expected role names separated by commas, highest first");
        }
        for (String role : rolePriority) {
            if (role.isBlank()) {
                problems.add(
                        "rolePriority: " + roles + " has an empty role name; expected role names separated by commas");
            } else if (roleByKey.putIfAbsent(key(role), role) != null) {
                problems.add("rolePriority: " + roles + " lists '" + role + "' twice; expected each role once");
            } else {
                rankByKey.put(key(role), rankByKey.size());
                grant(role, role);
            }
        }
        if (defaultGroup.isBlank()) {
            problems.add("defaultGroup: '' expected the name of an app group, e.g. 'end-users'");
        } else if (!rolePriority.isEmpty()) {
            String named = rankedGrant(defaultGroup);
            if (named != null && !named.equals(lowestRole())) {
                problems.add("defaultGroup: '" + defaultGroup + "' is the role group of '" + named
                        + "'; expected a group for the lowest role, '" + lowestRole() + "'");
            } else {
                grant(defaultGroup, lowestRole());
            }
        }

        // The application's declared roles: unranked unless rolePriority ranks them, each with its role group.
        List<String> declared = new ArrayList<>();
        if (useDeclaredRoles) {
            for (String role : b.declaredRoles) {
                if (role.isBlank() || rankByKey.containsKey(key(role)) || isLowestRoleName(role)) {
                    continue;
                }
                if (roleByKey.putIfAbsent(key(role), role) == null) {
                    declared.add(role);
                    grant(role, role);
                }
            }
        }
        declaredRoles = List.copyOf(declared);

        // groupRoles adds grants, of ranked roles or of roles the application declares (even with
        // declaredRoles=false, which only leaves the declared roles without role groups of their own).
        Map<String, String> declaredByKey = new HashMap<>();
        b.declaredRoles.forEach(role -> declaredByKey.putIfAbsent(key(role), role));
        Map<String, List<String>> rolesByGroup = new LinkedHashMap<>();
        for (Grant grant : b.groupRoles) {
            String group = grant.group();
            String line = "groupRoles: '" + group + " = " + grant.role() + "'";
            String role = roleByKey.get(key(grant.role()));
            if (role == null && declaredByKey.containsKey(key(grant.role()))) {
                role = declaredByKey.get(key(grant.role()));
                roleByKey.put(key(role), role);
            }
            if (role == null) {
                problems.add(line + " names role '" + grant.role() + "'; expected one of " + roles
                        + " (rolePriority) or a role the application declares (<security-role> in web.xml,"
                        + " @DeclareRoles, @RolesAllowed)"
                        + (declaredByKey.isEmpty()
                                ? ""
                                : ": " + String.join(", ", new TreeSet<>(declaredByKey.values()))));
                continue;
            }
            String implicit = rankByKey.containsKey(key(group)) || key(group).equals(key(defaultGroup))
                    ? rankedGrant(group)
                    : null;
            if (implicit != null && isRanked(role) && !implicit.equals(role)) {
                problems.add(line + " contradicts the role group: '" + group + "' already grants '" + implicit
                        + "'; expected no entry, an unranked role, or '" + group + " = " + implicit + "'");
                continue;
            }
            grant(group, role);
            List<String> granted = rolesByGroup.computeIfAbsent(group, g -> new ArrayList<>());
            if (!granted.contains(role)) {
                granted.add(role);
            }
        }
        rolesByGroup.replaceAll((group, granted) -> List.copyOf(granted));
        groupRoles = Collections.unmodifiableMap(rolesByGroup);

        Map<String, List<String>> mappings = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> mapping : b.groupMappings) {
            addDistinct(mappings.computeIfAbsent(mapping.getKey(), k -> new ArrayList<>()), mapping.getValue());
            addDistinct(
                    mappingsByKey.computeIfAbsent(key(mapping.getKey()), k -> new ArrayList<>()), mapping.getValue());
        }
        mappings.replaceAll((idp, targets) -> List.copyOf(targets));
        mappingsByKey.replaceAll((idp, targets) -> List.copyOf(targets));
        groupMappings = Collections.unmodifiableMap(mappings);

        Map<String, ClaimRule> modeSetters = new HashMap<>();
        for (ClaimRule rule : claimRules) {
            if (rule.mode() == null) {
                continue;
            }
            ClaimRule earlier = modeSetters.putIfAbsent(key(rule.group()), rule);
            if (earlier != null && earlier.mode() != rule.mode()) {
                problems.add("claimRules: '" + rule.text() + "' asks for " + rule.mode() + " but '" + earlier.text()
                        + "' asks for " + earlier.mode() + " for app group '" + rule.group()
                        + "'; expected one sync mode per app group");
            } else {
                modeByGroupKey.put(key(rule.group()), rule.mode());
            }
        }

        if (maxGroups < 1) {
            problems.add("maxGroups: '" + maxGroups + "' expected a whole number greater than 0");
        }
        if (maxCreatedGroupsPerLogin < 1) {
            problems.add("maxCreatedGroupsPerLogin: '" + maxCreatedGroupsPerLogin
                    + "' expected a whole number greater than 0");
        }
        if (maxCreatedGroups < 1) {
            problems.add("maxCreatedGroups: '" + maxCreatedGroups + "' expected a whole number greater than 0");
        }
        if (maxGroupNameLength < 1) {
            problems.add("maxGroupNameLength: '" + maxGroupNameLength + "' expected a whole number greater than 0");
        }
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration with every parameter at its default. */
    public static MappingConfig defaults() {
        return builder().build();
    }

    /**
     * Reads the parameters as users write them in {@code web.xml} (see the class documentation).
     *
     * @param params init-parameter names to values; other parameters may be present and are ignored
     * @throws MappingConfigException listing every problem, one per line
     */
    public static MappingConfig parse(Map<String, String> params) {
        return parse(params, List.of());
    }

    /**
     * As {@link #parse(Map)}, for an application that declares {@code applicationRoles} (in {@code web.xml},
     * its fragments or by annotation): unless {@code declaredRoles} is {@code false}, each becomes a role
     * with a role group of the same name.
     *
     * @throws MappingConfigException listing every problem, one per line
     */
    public static MappingConfig parse(Map<String, String> params, Collection<String> applicationRoles) {
        Objects.requireNonNull(params, "params");
        ParameterReader reader = ParameterReader.ofResolved(params);
        MappingConfig config = read(reader, applicationRoles);
        if (config == null) {
            throw new MappingConfigException(reader.problems());
        }
        return config;
    }

    /**
     * Reads the group mapping from the filter's one parameter reader, adding every problem to it.
     *
     * @return the configuration, or {@code null} when it has problems (the reader lists them)
     */
    public static MappingConfig read(ParameterReader r, Collection<String> applicationRoles) {
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(applicationRoles, "applicationRoles");
        Builder b = builder();
        r.text(Parameter.ROLE_PRIORITY).ifPresent(v -> b.rolePriority(list(b, "rolePriority", v, "role names")));
        r.text(Parameter.DEFAULT_GROUP).ifPresent(v -> b.defaultGroup(Grammar.unescape(v)));
        r.text(Parameter.GROUP_ROLES).ifPresent(v -> {
            for (String entry : Grammar.entries(v)) {
                int eq = Grammar.lastIndexOf(entry, "=");
                String group =
                        eq < 0 ? "" : Grammar.unescape(entry.substring(0, eq).strip());
                List<String> granted = eq < 0
                        ? List.of("")
                        : Grammar.split(entry.substring(eq + 1), ',').stream()
                                .map(Grammar::unescape)
                                .toList();
                if (group.isEmpty() || granted.contains("")) {
                    b.problems.add("groupRoles: '" + entry + "' expected 'app group = role, role',"
                            + " e.g. 'all apps = builder' or 'ops = billing, audit'");
                } else {
                    granted.forEach(role -> b.groupRole(group, role));
                }
            }
        });
        r.text(Parameter.GROUP_MAPPINGS).ifPresent(v -> {
            for (String entry : Grammar.entries(v)) {
                Map.Entry<String, List<String>> mapping = groupMappingEntry(entry);
                if (mapping == null) {
                    b.problems.add("groupMappings: '" + entry
                            + "' expected 'IdP group = app group, app group', e.g. 'engineers = all apps, ops'");
                } else {
                    b.groupMapping(mapping.getKey(), mapping.getValue().toArray(String[]::new));
                }
            }
        });
        r.text(Parameter.CLAIM_RULES).ifPresent(v -> Grammar.entries(v).forEach(b::claimRule));
        r.text(Parameter.HARDCODED_GROUPS)
                .ifPresent(v -> b.hardcodedGroups(
                        list(b, "hardcodedGroups", v, "app group names").toArray(String[]::new)));
        r.text(Parameter.SYNC_MODE).ifPresent(v -> {
            try {
                b.syncMode(SyncMode.parse(v));
            } catch (IllegalArgumentException e) {
                b.problems.add("syncMode: " + e.getMessage());
            }
        });
        bool(r, b, Parameter.CASE_INSENSITIVE).ifPresent(b::caseInsensitive);
        bool(r, b, Parameter.AUTO_CREATE_GROUPS).ifPresent(b::autoCreateGroups);
        bool(r, b, Parameter.PROMOTE_ONLY).ifPresent(b::promoteOnly);
        bool(r, b, Parameter.ROLE_HIERARCHY).ifPresent(b::roleHierarchy);
        bool(r, b, Parameter.DECLARED_ROLES).ifPresent(b::useDeclaredRoles);
        bool(r, b, Parameter.GROUPS_AS_ROLES).ifPresent(b::groupsAsRoles);
        b.declaredRoles(applicationRoles);
        number(r, b, Parameter.MAX_GROUPS).ifPresent(b::maxGroups);
        number(r, b, Parameter.MAX_GROUP_NAME_LENGTH).ifPresent(b::maxGroupNameLength);
        number(r, b, Parameter.MAX_CREATED_GROUPS_PER_LOGIN).ifPresent(b::maxCreatedGroupsPerLogin);
        number(r, b, Parameter.MAX_CREATED_GROUPS).ifPresent(b::maxCreatedGroups);
        try {
            return b.build();
        } catch (MappingConfigException e) {
            r.problems(e.problems());
            return null;
        }
    }

    /**
     * A name as the table grammar of the mapping parameters writes it: {@code \ ; , = #} escaped with a
     * backslash, so that {@link #groupMappingEntry} and the parameters read it back as it is.
     */
    public static String escapeName(String name) {
        StringBuilder text = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ("\\;,=#".indexOf(c) >= 0) {
                text.append('\\');
            }
            text.append(c);
        }
        return text.toString();
    }

    /** The {@code groupMappings} entry that maps {@code idpGroup} to {@code appGroup}. */
    public static String groupMappingText(String idpGroup, String appGroup) {
        return escapeName(idpGroup) + " = " + escapeName(appGroup);
    }

    /**
     * One entry of {@code groupMappings} ({@code IdP group = app group, app group}, escapes undone), or {@code
     * null} when it does not have that form.
     */
    public static Map.Entry<String, List<String>> groupMappingEntry(String entry) {
        int eq = Grammar.indexOf(entry, "=");
        if (eq < 0) {
            return null;
        }
        String idp = Grammar.unescape(entry.substring(0, eq).strip());
        List<String> targets = Grammar.split(entry.substring(eq + 1), ',').stream()
                .map(Grammar::unescape)
                .toList();
        return idp.isEmpty() || targets.isEmpty() || targets.contains("") ? null : Map.entry(idp, targets);
    }

    /**
     * This configuration with an administrator's rules ({@link Administered}): the configured group mappings,
     * claim rules and hardcoded groups less those switched off, then the administrator's own, in that order;
     * the administrator's {@code rolePriority} when there is one. Every other parameter stays as configured.
     *
     * @throws MappingConfigException when the result does not hold together, listing every problem (a broken
     *     claim rule, an unranked role, ...) in the words of the start-up check
     */
    public MappingConfig administered(Administered rules) {
        Objects.requireNonNull(rules, "rules");
        Builder b = builder()
                .rolePriority(rules.rolePriority() == null ? rolePriority : rules.rolePriority())
                .defaultGroup(defaultGroup)
                .syncMode(syncMode)
                .caseInsensitive(caseInsensitive)
                .autoCreateGroups(autoCreateGroups)
                .promoteOnly(promoteOnly)
                .roleHierarchy(roleHierarchy)
                .useDeclaredRoles(useDeclaredRoles)
                .groupsAsRoles(groupsAsRoles)
                .declaredRoles(declaredRoleInputs)
                .maxGroups(maxGroups)
                .maxGroupNameLength(maxGroupNameLength)
                .maxCreatedGroupsPerLogin(maxCreatedGroupsPerLogin)
                .maxCreatedGroups(maxCreatedGroups);
        grantInputs.forEach(grant -> b.groupRole(grant.group(), grant.role()));
        groupMappings.forEach((idp, targets) -> {
            List<String> kept = targets.stream()
                    .filter(target -> !rules.disabledGroupMappings().contains(Map.entry(idp, target)))
                    .toList();
            if (!kept.isEmpty()) {
                b.groupMapping(idp, kept.toArray(String[]::new));
            }
        });
        rules.groupMappings()
                .forEach(
                        entry -> b.groupMapping(entry.getKey(), entry.getValue().toArray(String[]::new)));
        claimRules.stream()
                .filter(rule -> !rules.disabledClaimRules().contains(rule.text()))
                .forEach(b.claimRules::add);
        rules.claimRules().forEach(b::claimRule);
        List<String> hardcoded = new ArrayList<>();
        hardcodedGroups.stream()
                .filter(group -> !rules.disabledHardcodedGroups().contains(group))
                .forEach(hardcoded::add);
        rules.hardcodedGroups().stream().filter(g -> !hardcoded.contains(g)).forEach(hardcoded::add);
        b.hardcodedGroups(hardcoded.toArray(String[]::new));
        return b.build();
    }

    /** Roles, highest first. */
    public List<String> rolePriority() {
        return rolePriority;
    }

    /** The lowest-ranked role: what a user whose groups grant nothing gets. */
    public String lowestRole() {
        return rolePriority.get(rolePriority.size() - 1);
    }

    public String defaultGroup() {
        return defaultGroup;
    }

    /** The explicit {@code groupRoles} grants, app group to its roles, as written; role groups are not listed. */
    public Map<String, List<String>> groupRoles() {
        return groupRoles;
    }

    /**
     * The application's declared roles that became unranked roles with role groups of their own (empty with
     * {@code declaredRoles=false}); declared roles that {@code rolePriority} ranks are not repeated here.
     */
    public List<String> declaredRoles() {
        return declaredRoles;
    }

    /**
     * Every role the configuration knows, ranked ones first (highest first), then the unranked ones: the
     * declared roles and those {@code groupRoles} grants.
     */
    public List<String> roles() {
        return List.copyOf(new LinkedHashSet<>(roleByKey.values().stream()
                .sorted(Comparator.comparingInt((String r) -> rankByKey.getOrDefault(key(r), Integer.MAX_VALUE)))
                .toList()));
    }

    /** Every app group the configuration grants roles to (role groups, the default group, declared roles' groups, {@code groupRoles}), with its roles. */
    public Map<String, Set<String>> configuredGrants() {
        Map<String, Set<String>> grants = new LinkedHashMap<>();
        for (String role : rolePriority.subList(0, Math.max(0, rolePriority.size() - 1))) {
            grants.put(role, rolesGrantedByName(role));
        }
        if (!rolePriority.isEmpty()) {
            grants.put(defaultGroup, rolesGrantedByName(defaultGroup));
        }
        declaredRoles.forEach(role -> grants.put(role, rolesGrantedByName(role)));
        groupRoles.keySet().forEach(group -> grants.putIfAbsent(group, rolesGrantedByName(group)));
        return Collections.unmodifiableMap(grants);
    }

    /** IdP group to app groups, as written; several entries for one IdP group are merged. */
    public Map<String, List<String>> groupMappings() {
        return groupMappings;
    }

    public List<ClaimRule> claimRules() {
        return claimRules;
    }

    public List<String> hardcodedGroups() {
        return hardcodedGroups;
    }

    /** The global sync mode; see {@link #syncModeOf(String)} for one group's. */
    public SyncMode syncMode() {
        return syncMode;
    }

    public boolean caseInsensitive() {
        return caseInsensitive;
    }

    public boolean autoCreateGroups() {
        return autoCreateGroups;
    }

    public boolean promoteOnly() {
        return promoteOnly;
    }

    public boolean roleHierarchy() {
        return roleHierarchy;
    }

    /** Whether the application's declared roles become roles with role groups ({@code declaredRoles}). */
    public boolean useDeclaredRoles() {
        return useDeclaredRoles;
    }

    /** Whether {@code isUserInRole} also answers for the app groups the user is in ({@code groupsAsRoles}). */
    public boolean groupsAsRoles() {
        return groupsAsRoles;
    }

    /**
     * The names {@code isUserInRole} answers {@code true} for: the user's roles and, with {@code groupsAsRoles}
     * (as Jakarta EE containers map groups to roles by default), the names of the user's app groups. IdP groups
     * that mapped to no app group are not among {@code appGroups}, so they stay invisible.
     */
    public Set<String> requestRoles(Collection<String> roles, Collection<String> appGroups) {
        Set<String> names = new LinkedHashSet<>(Objects.requireNonNull(roles, "roles"));
        if (groupsAsRoles) {
            names.addAll(Objects.requireNonNull(appGroups, "appGroups"));
        }
        return Collections.unmodifiableSet(names);
    }

    public int maxGroups() {
        return maxGroups;
    }

    public int maxGroupNameLength() {
        return maxGroupNameLength;
    }

    /** With {@code autoCreateGroups}: the most app groups one login may create; more refuses the login. */
    public int maxCreatedGroupsPerLogin() {
        return maxCreatedGroupsPerLogin;
    }

    /** With {@code autoCreateGroups}: the most app groups logins may create in all; more refuses the login. */
    public int maxCreatedGroups() {
        return maxCreatedGroups;
    }

    /** The sync mode that governs membership of {@code appGroup}: its claim rule's mode, else the global one. */
    public SyncMode syncModeOf(String appGroup) {
        return modeByGroupKey.getOrDefault(key(appGroup), syncMode);
    }

    /** The name used to compare {@code name}: itself, or folded with {@link Locale#ROOT} when case-insensitive. */
    String key(String name) {
        return caseInsensitive ? name.toLowerCase(Locale.ROOT) : name;
    }

    /** The role as the configuration spells it, or {@code null} when the configuration knows no such role. */
    String canonicalRole(String role) {
        return role == null ? null : roleByKey.get(key(role));
    }

    /** Whether a canonical role has a rank in {@code rolePriority}. */
    boolean isRanked(String role) {
        return rankByKey.containsKey(key(role));
    }

    /** Position in {@code rolePriority} (0 is highest) of a ranked role. */
    int rank(String role) {
        return rankByKey.get(key(role));
    }

    /** The roles a group grants by configuration (role group, default group, declared role or {@code groupRoles}); empty for none. */
    Set<String> rolesGrantedByName(String appGroup) {
        return grantsByGroupKey.getOrDefault(key(appGroup), Set.of());
    }

    private void grant(String group, String role) {
        grantsByGroupKey.computeIfAbsent(key(group), k -> new LinkedHashSet<>()).add(role);
    }

    /** The ranked role a group grants by configuration, or {@code null}. */
    private String rankedGrant(String group) {
        return rolesGrantedByName(group).stream()
                .filter(this::isRanked)
                .findFirst()
                .orElse(null);
    }

    /** The targets {@code groupMappings} gives an IdP group, or {@code null} when it has no entry. */
    List<String> mappingFor(String idpGroup) {
        return mappingsByKey.get(key(idpGroup));
    }

    /** Whether {@code name} is the lowest role's name, which stands for the default group. */
    public boolean isLowestRoleName(String name) {
        return key(name).equals(key(lowestRole()));
    }

    private record Grant(String group, String role) {}

    private static void addDistinct(List<String> to, List<String> values) {
        values.stream().filter(v -> !to.contains(v)).forEach(to::add);
    }

    private static List<String> list(Builder b, String name, String value, String what) {
        List<String> items =
                Grammar.split(value, ',').stream().map(Grammar::unescape).toList();
        if (items.contains("")) {
            b.problems.add(name + ": '" + value + "' has an empty entry; expected " + what + " separated by commas");
        }
        return items.stream().filter(i -> !i.isEmpty()).toList();
    }

    private static Optional<Boolean> bool(ParameterReader params, Builder b, Parameter p) {
        String name = p.paramName();
        return params.text(p).flatMap(v -> {
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Optional.of(Boolean.parseBoolean(v));
            }
            b.problems.add(name + ": '" + v + "' expected true or false");
            return Optional.empty();
        });
    }

    private static Optional<Integer> number(ParameterReader params, Builder b, Parameter p) {
        String name = p.paramName();
        return params.text(p).flatMap(v -> {
            try {
                return Optional.of(Integer.parseInt(v));
            } catch (NumberFormatException e) {
                b.problems.add(name + ": '" + v + "' expected a whole number greater than 0");
                return Optional.empty();
            }
        });
    }

    /**
     * Builds a {@link MappingConfig} in code; {@link #build()} validates everything at once. Starts from
     * the defaults.
     *
     * <pre>{@code
     * MappingConfig config = MappingConfig.builder()
     *         .groupMapping("engineers", "all apps")
     *         .groupRole("all apps", "builder")
     *         .claimRule("department~eng.* -> engineers")
     *         .build();
     * }</pre>
     */
    public static final class Builder {

        private List<String> rolePriority = DEFAULT_ROLE_PRIORITY;
        private String defaultGroup = DEFAULT_GROUP;
        private final List<Grant> groupRoles = new ArrayList<>();
        private final List<Map.Entry<String, List<String>>> groupMappings = new ArrayList<>();
        private final List<ClaimRule> claimRules = new ArrayList<>();
        private List<String> hardcodedGroups = List.of();
        private SyncMode syncMode = SyncMode.FORCE;
        private boolean caseInsensitive;
        private boolean autoCreateGroups;
        private boolean promoteOnly;
        private boolean roleHierarchy = true;
        private boolean useDeclaredRoles = true;
        private boolean groupsAsRoles = true;
        private List<String> declaredRoles = List.of();
        private int maxGroups = 1000;
        private int maxGroupNameLength = 255;
        private int maxCreatedGroupsPerLogin = 10;
        private int maxCreatedGroups = 1000;
        private final List<String> problems = new ArrayList<>();

        private Builder() {}

        public Builder rolePriority(List<String> rolesHighestFirst) {
            this.rolePriority = List.copyOf(Objects.requireNonNull(rolesHighestFirst, "rolesHighestFirst"));
            return this;
        }

        public Builder rolePriority(String... rolesHighestFirst) {
            return rolePriority(Arrays.asList(rolesHighestFirst));
        }

        public Builder defaultGroup(String defaultGroup) {
            this.defaultGroup = Objects.requireNonNull(defaultGroup, "defaultGroup");
            return this;
        }

        /** App group {@code group} grants {@code role}; several calls for one group add up. */
        public Builder groupRole(String group, String role) {
            groupRoles.add(new Grant(Objects.requireNonNull(group, "group"), Objects.requireNonNull(role, "role")));
            return this;
        }

        /** IdP group {@code idpGroup} maps to each of {@code appGroups}; adds to earlier calls for the same IdP group. */
        public Builder groupMapping(String idpGroup, String... appGroups) {
            Objects.requireNonNull(idpGroup, "idpGroup");
            List<String> targets = List.of(appGroups);
            if (idpGroup.isBlank() || targets.isEmpty() || targets.stream().anyMatch(String::isBlank)) {
                problems.add("groupMappings: '" + idpGroup + " = " + String.join(", ", targets)
                        + "' expected 'IdP group = app group, app group'");
            } else {
                groupMappings.add(Map.entry(idpGroup, targets));
            }
            return this;
        }

        /** Adds a rule in the {@link ClaimRule} grammar; a malformed rule is reported by {@link #build()}. */
        public Builder claimRule(String rule) {
            Objects.requireNonNull(rule, "rule");
            try {
                claimRules.add(ClaimRule.parse(rule));
            } catch (IllegalArgumentException e) {
                problems.add("claimRules: " + e.getMessage());
            }
            return this;
        }

        public Builder hardcodedGroups(String... groups) {
            List<String> list = List.of(groups);
            if (list.stream().anyMatch(String::isBlank)) {
                problems.add("hardcodedGroups: '" + String.join(", ", list)
                        + "' has an empty entry; expected app group names");
            }
            this.hardcodedGroups = list.stream().filter(g -> !g.isBlank()).toList();
            return this;
        }

        public Builder syncMode(SyncMode syncMode) {
            this.syncMode = Objects.requireNonNull(syncMode, "syncMode");
            return this;
        }

        public Builder caseInsensitive(boolean caseInsensitive) {
            this.caseInsensitive = caseInsensitive;
            return this;
        }

        public Builder autoCreateGroups(boolean autoCreateGroups) {
            this.autoCreateGroups = autoCreateGroups;
            return this;
        }

        public Builder promoteOnly(boolean promoteOnly) {
            this.promoteOnly = promoteOnly;
            return this;
        }

        public Builder roleHierarchy(boolean roleHierarchy) {
            this.roleHierarchy = roleHierarchy;
            return this;
        }

        /**
         * The roles the application declares; each becomes a role (unranked unless {@code rolePriority} ranks
         * it) with a role group of the same name, unless {@link #useDeclaredRoles(boolean)} is off.
         */
        public Builder declaredRoles(Collection<String> roles) {
            this.declaredRoles = List.copyOf(Objects.requireNonNull(roles, "roles"));
            return this;
        }

        public Builder useDeclaredRoles(boolean useDeclaredRoles) {
            this.useDeclaredRoles = useDeclaredRoles;
            return this;
        }

        public Builder groupsAsRoles(boolean groupsAsRoles) {
            this.groupsAsRoles = groupsAsRoles;
            return this;
        }

        public Builder maxGroups(int maxGroups) {
            this.maxGroups = maxGroups;
            return this;
        }

        public Builder maxCreatedGroupsPerLogin(int maxCreatedGroupsPerLogin) {
            this.maxCreatedGroupsPerLogin = maxCreatedGroupsPerLogin;
            return this;
        }

        public Builder maxCreatedGroups(int maxCreatedGroups) {
            this.maxCreatedGroups = maxCreatedGroups;
            return this;
        }

        public Builder maxGroupNameLength(int maxGroupNameLength) {
            this.maxGroupNameLength = maxGroupNameLength;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws MappingConfigException listing every problem found
         */
        public MappingConfig build() {
            List<String> all = new ArrayList<>(problems);
            MappingConfig config = new MappingConfig(this, all);
            if (!all.isEmpty()) {
                throw new MappingConfigException(all);
            }
            return config;
        }
    }
}
