package dev.rolebridge.internal.mapping;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link GroupMapper} decided for one login: the memberships to write, the role to store and
 * expose, and a trace that explains each decision. The persistence layer applies {@link #toAdd()},
 * {@link #toRemove()} and {@link #toCreate()} in one transaction and records the trace in its audit.
 *
 * <pre>{@code
 * MappingOutcome outcome = mapper.map(login, store.appGroups(), state);
 * outcome.toCreate().forEach(store::createGroup);
 * outcome.toAdd().forEach(group -> store.addSyncedMembership(user, group));
 * outcome.toRemove().forEach(group -> store.removeSyncedMembership(user, group));
 * store.setRole(user, outcome.primaryRole());
 * }</pre>
 *
 * @param desiredGroups the synced app groups the user should be in after this login: what the login
 *     mapped to, in rule order, then memberships kept by the sync mode, then the default group
 * @param toAdd groups in {@code desiredGroups} the user is not yet in
 * @param toRemove synced groups the user leaves, spelled as in the user's current state
 * @param toCreate app groups that do not exist yet and must be created before {@code toAdd} is applied
 *     (only with {@code autoCreateGroups}), each with the role it grants
 * @param previousRole the role stored before this login, or {@code null}
 * @param primaryRole the user's highest ranked role after this login; never {@code null}
 * @param effectiveRoles every role the user holds: the primary role, with {@code roleHierarchy} the ranked
 *     roles below it, and every other role the user's groups grant; ranked roles first, highest first, then
 *     the unranked ones ({@code isUserInRole} also answers for the app groups, see
 *     {@link MappingConfig#requestRoles})
 * @param trace what fired, what was skipped and why, in order
 * @param unmappedGroups the names in the groups claim that matched no app group and no {@code groupMappings}
 *     entry (so the login ignored them), as the claim spelled them, first occurrence only, in claim order;
 *     empty when the claim is missing or every name mapped
 */
public record MappingOutcome(
        List<String> desiredGroups,
        List<String> toAdd,
        List<String> toRemove,
        List<AppGroup> toCreate,
        String previousRole,
        String primaryRole,
        List<String> effectiveRoles,
        List<Step> trace,
        List<String> unmappedGroups) {

    public MappingOutcome {
        desiredGroups = List.copyOf(Objects.requireNonNull(desiredGroups, "desiredGroups"));
        toAdd = List.copyOf(Objects.requireNonNull(toAdd, "toAdd"));
        toRemove = List.copyOf(Objects.requireNonNull(toRemove, "toRemove"));
        toCreate = List.copyOf(Objects.requireNonNull(toCreate, "toCreate"));
        Objects.requireNonNull(primaryRole, "primaryRole");
        effectiveRoles = List.copyOf(Objects.requireNonNull(effectiveRoles, "effectiveRoles"));
        trace = List.copyOf(Objects.requireNonNull(trace, "trace"));
        unmappedGroups = List.copyOf(Objects.requireNonNull(unmappedGroups, "unmappedGroups"));
    }

    /**
     * An outcome that names no unmapped group: the constructor of the components before
     * {@link #unmappedGroups()} was added, kept for callers that build outcomes themselves.
     */
    public MappingOutcome(
            List<String> desiredGroups,
            List<String> toAdd,
            List<String> toRemove,
            List<AppGroup> toCreate,
            String previousRole,
            String primaryRole,
            List<String> effectiveRoles,
            List<Step> trace) {
        this(desiredGroups, toAdd, toRemove, toCreate, previousRole, primaryRole, effectiveRoles, trace, List.of());
    }

    /** Whether the login changes anything that must be stored. */
    public boolean changed() {
        return !toAdd.isEmpty() || !toRemove.isEmpty() || !toCreate.isEmpty() || !primaryRole.equals(previousRole);
    }

    /** The trace as text, one line per step, e.g. for {@code SyncResult.trace()} or an audit entry. */
    public List<String> traceLines() {
        return trace.stream().map(Step::toString).toList();
    }

    /** The trace steps of one kind, e.g. the rules that fired. */
    public List<Step> trace(Step.Kind kind) {
        return trace.stream().filter(step -> step.kind() == kind).toList();
    }

    /**
     * One line of the trace.
     *
     * @param kind what sort of decision it records
     * @param message the decision, naming the rule and the groups involved (never claim values)
     */
    public record Step(Kind kind, String message) {

        public Step {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }

        /** What a trace step records. */
        public enum Kind {
            /** A rule put the user in an app group. */
            FIRED,
            /** A rule matched but could not apply, e.g. its target group does not exist. */
            SKIPPED,
            /** Something an administrator should look at; the login still succeeds. */
            WARNING,
            /** Any other decision: a rule that did not match, a membership kept or removed, the role chosen. */
            NOTE
        }

        /** {@code "fired: by name: IdP group 'admin' -> app group 'admin'"}. */
        @Override
        public String toString() {
            return kind.name().toLowerCase(Locale.ROOT) + ": " + message;
        }
    }
}
