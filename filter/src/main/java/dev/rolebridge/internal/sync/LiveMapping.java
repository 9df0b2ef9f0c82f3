package dev.rolebridge.internal.sync;

import dev.rolebridge.internal.mapping.Administered;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.mapping.MappingConfigException;
import dev.rolebridge.internal.store.MembershipStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mapping in force: the configuration with the administrator's rules from the database laid over it
 * ({@link MappingConfig#administered}). Reads the rules again at most every {@link #RECHECK} (so a change made
 * on another node applies within that), at once after {@link #changed()} on this node, and only rebuilds the
 * mapper when they differ. When the database cannot be read it keeps the mapping it has; a stored rule that no
 * longer fits the configuration (a role removed from {@code rolePriority}, say) is left out with a warning.
 * Thread-safe.
 */
public final class LiveMapping {

    /** How long a mapping is used before the rules are read again. */
    public static final Duration RECHECK = Duration.ofSeconds(5);

    private static final Logger LOG = dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(LiveMapping.class));

    private record Current(Administered rules, MappingConfig config, GroupMapper mapper, Instant checked) {}

    private final MappingConfig configured;
    private final Supplier<MembershipStore> store;
    private final Clock clock;
    private volatile Current current;

    /** @param store the membership store, opened on demand (it may throw while the database is down) */
    public LiveMapping(MappingConfig configured, Supplier<MembershipStore> store, Clock clock) {
        this.configured = Objects.requireNonNull(configured, "configured");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.current = new Current(Administered.none(), configured, new GroupMapper(configured), Instant.MIN);
    }

    /** The configuration as written, without the administrator's rules. */
    public MappingConfig configured() {
        return configured;
    }

    /** The mapping in force (see the class documentation). */
    public MappingConfig config() {
        return fresh().config();
    }

    /** A mapper for the mapping in force. */
    public GroupMapper mapper() {
        return fresh().mapper();
    }

    /** The administrator's rules as last read. */
    public Administered rules() {
        return fresh().rules();
    }

    /** Tells it that this node changed the rules: the next use reads them again. */
    public void changed() {
        Current now = current;
        current = new Current(now.rules(), now.config(), now.mapper(), Instant.MIN);
    }

    private Current fresh() {
        Current now = current;
        Instant at = clock.instant();
        if (!now.checked().plus(RECHECK).isBefore(at)) {
            return now;
        }
        synchronized (this) {
            now = current;
            if (!now.checked().plus(RECHECK).isBefore(at)) {
                return now;
            }
            Administered rules;
            try {
                rules = store.get().administered();
            } catch (RuntimeException e) {
                LOG.debug(
                        "cannot read the administrator's mapping rules now ({}); keeping the mapping in force",
                        e.getMessage());
                current = new Current(now.rules(), now.config(), now.mapper(), at);
                return current;
            }
            if (rules.equals(now.rules()) && !now.checked().equals(Instant.MIN)) {
                current = new Current(now.rules(), now.config(), now.mapper(), at);
                return current;
            }
            MappingConfig config = build(rules);
            current = new Current(rules, config, config == configured ? now.mapper() : new GroupMapper(config), at);
            if (!rules.isEmpty()) {
                LOG.debug("mapping rules in force: the configuration with the administrator's {}", rules);
            }
            return current;
        }
    }

    /** The configuration with the rules; those that do not fit are left out, one by one, with a warning. */
    private MappingConfig build(Administered rules) {
        if (rules.isEmpty()) {
            return configured;
        }
        try {
            return configured.administered(rules);
        } catch (MappingConfigException e) {
            LOG.warn(
                    "Some of the administrator's mapping rules do not fit the configuration; leaving them out: {}",
                    e.problems());
        }
        Administered kept = Administered.none();
        for (Administered one : singles(rules)) {
            try {
                configured.administered(kept.with(one));
                kept = kept.with(one);
            } catch (MappingConfigException e) {
                LOG.warn("Left out the administrator's rule {}: {}", one, e.problems());
            }
        }
        return configured.administered(kept);
    }

    /** Each rule (and the role order) as an {@link Administered} of its own, in order. */
    private static List<Administered> singles(Administered rules) {
        List<Administered> singles = new java.util.ArrayList<>();
        rules.groupMappings()
                .forEach(m -> singles.add(
                        new Administered(List.of(m), List.of(), List.of(), Set.of(), Set.of(), Set.of(), null)));
        rules.claimRules()
                .forEach(r -> singles.add(
                        new Administered(List.of(), List.of(r), List.of(), Set.of(), Set.of(), Set.of(), null)));
        rules.hardcodedGroups()
                .forEach(g -> singles.add(
                        new Administered(List.of(), List.of(), List.of(g), Set.of(), Set.of(), Set.of(), null)));
        rules.disabledGroupMappings()
                .forEach(m -> singles.add(new Administered(
                        List.of(),
                        List.of(),
                        List.of(),
                        Set.<Map.Entry<String, String>>of(m),
                        Set.of(),
                        Set.of(),
                        null)));
        rules.disabledClaimRules()
                .forEach(r -> singles.add(
                        new Administered(List.of(), List.of(), List.of(), Set.of(), Set.of(r), Set.of(), null)));
        rules.disabledHardcodedGroups()
                .forEach(g -> singles.add(
                        new Administered(List.of(), List.of(), List.of(), Set.of(), Set.of(), Set.of(g), null)));
        if (rules.rolePriority() != null) {
            singles.add(new Administered(
                    List.of(), List.of(), List.of(), Set.of(), Set.of(), Set.of(), rules.rolePriority()));
        }
        return singles;
    }
}
