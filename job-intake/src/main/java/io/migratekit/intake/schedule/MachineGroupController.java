package io.migratekit.intake.schedule;

import io.migratekit.db.tables.records.MachineGroupsRecord;
import io.migratekit.events.GroupMembershipChanged;
import io.migratekit.events.MachineGroupDefined;
import io.migratekit.intake.IntakeProperties;
import io.migratekit.intake.api.ApiProblem;
import io.migratekit.intake.api.Paging;
import io.migratekit.intake.auth.ApiPrincipal;
import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.migratekit.intake.request.RequestBodyReader;
import io.migratekit.intake.request.ScheduleBodies.GroupBody;
import io.migratekit.intake.request.ScheduleBodies.MembersBody;
import io.migratekit.intake.request.ScheduleRequestValidator;
import io.migratekit.intake.schedule.SchedulerReadModel.ContextMembership;
import io.migratekit.intake.schedule.ScheduleViews.ContextView;
import io.migratekit.intake.schedule.ScheduleViews.GroupView;
import io.migratekit.intake.schedule.ScheduleViews.MemberView;
import io.migratekit.intake.schedule.ScheduleViews.Page;
import io.migratekit.schemas.EventIds;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/machine-groups} and the VM-context group routes: validates a group or membership
 * change against the current definitions (unknown group 404, unknown schedule or context 400/404,
 * name taken 409, a VM already in another group 409 — a VM is in at most one group) and publishes it
 * as {@code MachineGroupDefined} / {@code GroupMembershipChanged} for scheduler-service to apply.
 * Writes answer 202. Thin.
 */
@RestController
public class MachineGroupController {

    static final int DEFAULT_MAX_CONCURRENT_VMS = 5;
    static final int DEFAULT_PRIORITY = 50;

    private final RequestBodyReader bodyReader;
    private final ScheduleRequestValidator validator;
    private final ScheduleCommands commands;
    private final SchedulerReadModel readModel;
    private final IntakeProperties properties;
    private final Clock clock;

    public MachineGroupController(RequestBodyReader bodyReader, ScheduleRequestValidator validator,
            ScheduleCommands commands, SchedulerReadModel readModel, IntakeProperties properties, Clock clock) {
        this.bodyReader = bodyReader;
        this.validator = validator;
        this.commands = commands;
        this.readModel = readModel;
        this.properties = properties;
        this.clock = clock;
    }

    @Operation(summary = "Create a machine group, optionally on a schedule")
    @PostMapping("/api/v1/machine-groups")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<GroupView> create(HttpServletRequest http,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) throws IOException {
        GroupBody body = validator.group(read(http), true);
        checked(body, null);
        MachineGroupDefined defined = event(UUID.randomUUID().toString(), body, null, principal, false);
        commands.define(defined);
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", ScheduleCommands.GROUPS_PATH
                + defined.getGroupId()).body(view(defined, 0));
    }

    @Operation(summary = "Machine groups by priority, optionally of one schedule")
    @GetMapping("/api/v1/machine-groups")
    @RequiresPermission(Permission.READ)
    public Page<GroupView> list(@RequestParam(name = "schedule_id", required = false) String scheduleId,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "offset", required = false) Integer offset) {
        Paging page = Paging.of(limit, offset, properties.getDefaultPageSize(), properties.getMaxPageSize());
        List<GroupView> items = readModel.groups(scheduleId, page.limit(), page.offset());
        return new Page<>(items, items.size(), page.limit(), page.offset());
    }

    @Operation(summary = "One machine group")
    @GetMapping("/api/v1/machine-groups/{id}")
    @RequiresPermission(Permission.READ)
    public GroupView get(@PathVariable("id") String id) {
        return readModel.group(id).orElseThrow(() -> notFound(id));
    }

    @Operation(summary = "Change a machine group: the fields given replace the current ones (schedule_id null detaches it)")
    @PutMapping("/api/v1/machine-groups/{id}")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<GroupView> update(@PathVariable("id") String id, HttpServletRequest http,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) throws IOException {
        MachineGroupsRecord current = current(id);
        GroupBody body = validator.group(read(http), false);
        checked(body, id);
        MachineGroupDefined defined = event(id, body, current, principal, false);
        commands.define(defined);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(defined, readModel.members(id).size()));
    }

    @Operation(summary = "Delete a machine group; its VMs become ungrouped")
    @DeleteMapping("/api/v1/machine-groups/{id}")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<Void> delete(@PathVariable("id") String id,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) {
        MachineGroupsRecord current = current(id);
        // The membership changelog forgets the members first, so a replay never puts them back.
        for (MemberView member : readModel.members(id)) {
            commands.change(membership(member.vmwareVmId(), member.vmContextId(), null, true, DEFAULT_PRIORITY,
                    principal), id);
        }
        commands.define(event(id, new GroupBody(null, null, null, false, null, null), current, principal, true));
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Operation(summary = "Add VM contexts to a group: {\"vm_context_ids\": [...], \"priority\": 0..100, \"enabled\": true}")
    @PostMapping("/api/v1/machine-groups/{id}/vms")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<Map<String, Object>> addVms(@PathVariable("id") String id, HttpServletRequest http,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) throws IOException {
        current(id);
        MembersBody body = validator.members(read(http));
        List<ContextMembership> contexts = new ArrayList<>();
        for (int i = 0; i < body.vmContextIds().size(); i++) {
            String contextId = body.vmContextIds().get(i);
            String field = "vm_context_ids[" + i + "]";
            ContextMembership context = readModel.context(contextId).orElseThrow(() -> ApiProblem.notFound(
                    "VM context not found", field + ": no VM context " + contextId));
            inNoOtherGroup(context, id, field);
            contexts.add(context);
        }
        for (ContextMembership context : contexts) {
            commands.change(membership(context.vmwareVmId(), context.contextId(), id, body.enabled(), body.priority(),
                    principal), id);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("group_id", id, "added",
                contexts.stream().map(ContextMembership::contextId).toList()));
    }

    @Operation(summary = "The VMs of a group, by priority")
    @GetMapping("/api/v1/machine-groups/{id}/vms")
    @RequiresPermission(Permission.READ)
    public List<MemberView> vms(@PathVariable("id") String id) {
        current(id);
        return readModel.members(id);
    }

    @Operation(summary = "Take a VM context out of a group")
    @DeleteMapping("/api/v1/machine-groups/{id}/vms/{vm}")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<Void> removeVm(@PathVariable("id") String id, @PathVariable("vm") String contextId,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) {
        current(id);
        ContextMembership context = readModel.context(contextId).filter(c -> id.equals(c.groupId()))
                .orElseThrow(() -> ApiProblem.notFound("VM not in group", "VM context " + contextId
                        + " is not in group " + id));
        commands.change(membership(context.vmwareVmId(), contextId, null, true, DEFAULT_PRIORITY, principal), id);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Operation(summary = "VM contexts in no group")
    @GetMapping("/api/v1/vm-contexts/ungrouped")
    @RequiresPermission(Permission.READ)
    public Page<ContextView> ungrouped(@RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "offset", required = false) Integer offset) {
        Paging page = Paging.of(limit, offset, properties.getDefaultPageSize(), properties.getMaxPageSize());
        List<ContextView> items = readModel.ungrouped(page.limit(), page.offset());
        return new Page<>(items, items.size(), page.limit(), page.offset());
    }

    @Operation(summary = "Move a VM context to a group, or out of its group: {\"group_id\": \"...\"|null}")
    @PutMapping("/api/v1/vm-contexts/{id}/group")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<Map<String, Object>> setGroup(@PathVariable("id") String contextId, HttpServletRequest http,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) throws IOException {
        ContextMembership context = readModel.context(contextId).orElseThrow(() -> ApiProblem.notFound(
                "VM context not found", "No VM context " + contextId));
        String groupId = validator.groupOf(read(http));
        if (groupId != null && readModel.groupRecord(groupId).isEmpty()) {
            throw ApiProblem.invalidPayload("group_id: no machine group " + groupId);
        }
        commands.change(membership(context.vmwareVmId(), contextId, groupId, true, DEFAULT_PRIORITY, principal),
                groupId == null ? String.valueOf(context.groupId()) : groupId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("vm_context_id", contextId);
        answer.put("group_id", groupId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
    }

    private void inNoOtherGroup(ContextMembership context, String groupId, String field) {
        if (context.groupId() != null && !context.groupId().equals(groupId)) {
            throw new ApiProblem(HttpStatus.CONFLICT, "VM already in a group", field + ": VM context "
                    + context.contextId() + " is in group " + context.groupId() + "; a VM is in at most one group "
                    + "(remove it there first, or move it with PUT /api/v1/vm-contexts/{id}/group)");
        }
    }

    private void checked(GroupBody body, String self) {
        if (body.name() != null) {
            readModel.groupNamed(body.name()).filter(owner -> !owner.equals(self)).ifPresent(owner -> {
                throw new ApiProblem(HttpStatus.CONFLICT, "Machine group name taken", "name " + body.name()
                        + " is the name of group " + owner);
            });
        }
        if (body.scheduleId() != null && readModel.scheduleRecord(body.scheduleId()).isEmpty()) {
            throw ApiProblem.invalidPayload("schedule_id: no schedule " + body.scheduleId());
        }
    }

    private byte[] read(HttpServletRequest http) throws IOException {
        return bodyReader.read(http.getContentLengthLong(), http.getInputStream());
    }

    private MachineGroupsRecord current(String id) {
        return readModel.groupRecord(id).orElseThrow(() -> notFound(id));
    }

    static ApiProblem notFound(String id) {
        return ApiProblem.notFound("Machine group not found", "No machine group " + id);
    }

    private MachineGroupDefined event(String id, GroupBody b, MachineGroupsRecord c, ApiPrincipal principal,
            boolean deleted) {
        String schedule = b.clearSchedule() ? null
                : ScheduleController.pick(b.scheduleId(), c == null ? null : c.getScheduleId(), null);
        return MachineGroupDefined.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(now())
                .setCorrelationId(UUID.randomUUID().toString())
                .setGroupId(id)
                .setName(ScheduleController.pick(b.name(), c == null ? null : c.getName(), null))
                .setDescription(ScheduleController.pick(b.description(), c == null ? null : c.getDescription(), null))
                .setScheduleId(schedule)
                .setMaxConcurrentVms(ScheduleController.pick(b.maxConcurrentVms(),
                        c == null ? null : c.getMaxConcurrentVms(), DEFAULT_MAX_CONCURRENT_VMS))
                .setPriority(ScheduleController.pick(b.priority(), c == null ? null : c.getPriority(), DEFAULT_PRIORITY))
                .setDeleted(deleted)
                .setChangedBy(principal.name())
                .build();
    }

    private GroupMembershipChanged membership(String vmId, String contextId, String groupId, boolean enabled,
            int priority, ApiPrincipal principal) {
        return GroupMembershipChanged.newBuilder().setEventId(EventIds.newEventId()).setOccurredAt(now())
                .setCorrelationId(UUID.randomUUID().toString()).setVmwareVmId(vmId).setContextId(contextId)
                .setGroupId(groupId).setEnabled(enabled).setPriority(priority).setChangedBy(principal.name()).build();
    }

    private static GroupView view(MachineGroupDefined d, int members) {
        return new GroupView(d.getGroupId(), d.getName(), d.getDescription(), d.getScheduleId(), d.getMaxConcurrentVms(),
                d.getPriority(), members, d.getChangedBy(), null, d.getOccurredAt().toString());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
