package io.migratekit.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code migratekit schedules ...}: schedules and machine groups through {@code /schedules} and
 * {@code /machine-groups}. Writes answer 202 (scheduler-service applies them a moment later), so a
 * write prints the id the API returned and does not wait; the GETs show the change shortly after.
 * A schedule or group is named by its id or its name.
 */
@Command(name = "schedules", description = "List, create, enable and trigger schedules; their executions; machine groups.",
        subcommands = {SchedulesCommand.ListSchedules.class, SchedulesCommand.Show.class, SchedulesCommand.Create.class,
                SchedulesCommand.Enable.class, SchedulesCommand.Trigger.class, SchedulesCommand.Executions.class,
                SchedulesCommand.Groups.class})
final class SchedulesCommand implements Callable<Integer> {

    @ParentCommand
    MigrateKitCli root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return usage(root, spec);
    }

    /** A command of commands run alone: its usage, refused. */
    static Integer usage(MigrateKitCli root, CommandSpec spec) {
        spec.commandLine().usage(root.terminal().err());
        return ExitCodes.REFUSED;
    }

    /** Every item of a paged list (the API's largest page at a time). */
    static ArrayNode all(ApiClient api, String path) {
        ArrayNode items = ApiClient.JSON.createArrayNode();
        String separator = path.contains("?") ? "&" : "?";
        for (int offset = 0; ; offset += VmsCommand.PAGE) {
            JsonNode page = api.get(path + separator + "limit=" + VmsCommand.PAGE + "&offset=" + offset);
            page.path("items").forEach(items::add);
            if (page.path("items").size() < VmsCommand.PAGE) {
                return items;
            }
        }
    }

    /** The schedule or group under {@code base} with this id, else the one with this name; else refused. */
    static JsonNode resolve(ApiClient api, String base, String idOrName, String what) {
        return api.find(base + "/" + ApiClient.segment(idOrName)).orElseGet(() -> {
            for (JsonNode item : all(api, base)) {
                if (idOrName.equals(Json.text(item, "name"))) {
                    return item;
                }
            }
            throw CliFailure.of(ExitCodes.REFUSED, "no " + what + " with the id or name " + idOrName);
        });
    }

    static JsonNode schedule(ApiClient api, String idOrName) {
        return resolve(api, "/schedules", idOrName, "schedule");
    }

    /** Prints the answer (--json) or one line for a person. */
    static Integer done(MigrateKitCli root, JsonNode answer, String line) {
        if (root.json()) {
            root.printJson(answer);
        } else {
            root.line(line);
        }
        return ExitCodes.DONE;
    }

    @Command(name = "list", description = "Every schedule.")
    static final class ListSchedules implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand parent;

        @Override
        public Integer call() {
            ArrayNode items = all(parent.root.api(), "/schedules");
            if (parent.root.json()) {
                parent.root.printJson(items);
            } else {
                ScheduleTables.schedules(items).forEach(parent.root::line);
            }
            return ExitCodes.DONE;
        }
    }

    @Command(name = "show", description = "One schedule, its groups and its latest execution.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand parent;

        @Parameters(paramLabel = "SCHEDULE", description = "The schedule's id or name.")
        String schedule;

        @Override
        public Integer call() {
            MigrateKitCli root = parent.root;
            ApiClient api = root.api();
            JsonNode found = schedule(api, schedule);
            String id = Json.text(found, "id");
            ArrayNode groups = all(api, "/machine-groups?schedule_id=" + ApiClient.segment(id));
            JsonNode executions = api.get("/schedules/" + ApiClient.segment(id) + "/executions?limit=1").path("items");
            if (root.json()) {
                ObjectNode out = ApiClient.JSON.createObjectNode();
                out.set("schedule", found);
                out.set("groups", groups);
                out.set("latest_execution", executions.path(0).isObject() ? executions.get(0) : null);
                root.printJson(out);
                return ExitCodes.DONE;
            }
            ScheduleTables.schedules(ApiClient.JSON.createArrayNode().add(found)).forEach(root::line);
            root.line("");
            root.line("Groups:");
            ScheduleTables.groups(groups).forEach(root::line);
            root.line("");
            root.line("Latest execution:");
            ScheduleTables.executions(executions).forEach(root::line);
            return ExitCodes.DONE;
        }
    }

    @Command(name = "create", description = "Create a schedule (applied a moment later); prints its id.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand parent;

        @Option(names = "--name", required = true, description = "A unique name.")
        String name;

        @Option(names = "--cron", required = true, paramLabel = "EXPRESSION",
                description = "5 fields (minute first) or 6 (second first), e.g. \"0 2 * * *\".")
        String cron;

        @Option(names = "--timezone", paramLabel = "ZONE", description = "An IANA time zone (default UTC).")
        String timezone;

        @Option(names = "--type", paramLabel = "TYPE", description = "auto (default), initial or incremental.")
        String type;

        @Option(names = "--max-concurrent-jobs", paramLabel = "N", description = "Jobs at once (default 1).")
        Integer maxConcurrentJobs;

        @Option(names = "--retry-attempts", paramLabel = "N", description = "Retries of a failed VM (default 3).")
        Integer retryAttempts;

        @Option(names = "--retry-delay-minutes", paramLabel = "N", description = "Minutes between retries (default 30).")
        Integer retryDelayMinutes;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--disabled", description = "Create it disabled.")
        boolean disabled;

        @Override
        public Integer call() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("name", name).put("cron_expression", cron)
                    .put("enabled", !disabled);
            putIfSet(body, "timezone", timezone);
            putIfSet(body, "replication_type", type);
            putIfSet(body, "description", description);
            if (maxConcurrentJobs != null) {
                body.put("max_concurrent_jobs", maxConcurrentJobs);
            }
            if (retryAttempts != null) {
                body.put("retry_attempts", retryAttempts);
            }
            if (retryDelayMinutes != null) {
                body.put("retry_delay_minutes", retryDelayMinutes);
            }
            JsonNode created = parent.root.api().post("/schedules", body).body();
            return done(parent.root, created, Formats.safe(Json.text(created, "id")));
        }
    }

    static void putIfSet(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    @Command(name = "enable", description = "Enable a schedule, or disable it with --off.")
    static final class Enable implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand parent;

        @Parameters(paramLabel = "SCHEDULE", description = "The schedule's id or name.")
        String schedule;

        @Option(names = "--off", description = "Disable it.")
        boolean off;

        @Override
        public Integer call() {
            ApiClient api = parent.root.api();
            String id = Json.text(schedule(api, schedule), "id");
            JsonNode answer = api.post("/schedules/" + ApiClient.segment(id) + "/enable",
                    ApiClient.JSON.createObjectNode().put("enabled", !off)).body();
            return done(parent.root, answer, "Schedule " + Formats.safe(id) + (off ? " disabled" : " enabled"));
        }
    }

    @Command(name = "trigger", description = "Run a schedule now, as an execution of its own; prints the execution's id.")
    static final class Trigger implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand parent;

        @Parameters(paramLabel = "SCHEDULE", description = "The schedule's id or name.")
        String schedule;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept with the execution.")
        String reason;

        @Override
        public Integer call() {
            ApiClient api = parent.root.api();
            String id = Json.text(schedule(api, schedule), "id");
            ObjectNode body = ApiClient.JSON.createObjectNode();
            putIfSet(body, "reason", reason);
            JsonNode answer = api.post("/schedules/" + ApiClient.segment(id) + "/trigger", body).body();
            return done(parent.root, answer, Formats.safe(Json.text(answer, "execution_id")));
        }
    }

    @Command(name = "executions", description = "A schedule's executions, newest first, with their counts.")
    static final class Executions implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand parent;

        @Parameters(paramLabel = "SCHEDULE", description = "The schedule's id or name.")
        String schedule;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N (default 20).")
        int limit;

        @Override
        public Integer call() {
            ApiClient api = parent.root.api();
            String id = Json.text(schedule(api, schedule), "id");
            JsonNode items = api.get("/schedules/" + ApiClient.segment(id) + "/executions?limit=" + limit).path("items");
            if (parent.root.json()) {
                parent.root.printJson(items);
            } else {
                ScheduleTables.executions(items).forEach(parent.root::line);
            }
            return ExitCodes.DONE;
        }
    }

    @Command(name = "groups", description = "Machine groups: list, create, add-vm.",
            subcommands = {GroupList.class, GroupCreate.class, GroupAddVm.class})
    static final class Groups implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return usage(parent.root, spec);
        }
    }

    @Command(name = "list", description = "Every machine group, by priority.")
    static final class GroupList implements Callable<Integer> {
        @ParentCommand
        Groups groups;

        @Override
        public Integer call() {
            MigrateKitCli root = groups.parent.root;
            ArrayNode items = all(root.api(), "/machine-groups");
            if (root.json()) {
                root.printJson(items);
            } else {
                ScheduleTables.groups(items).forEach(root::line);
            }
            return ExitCodes.DONE;
        }
    }

    @Command(name = "create", description = "Create a machine group, optionally on a schedule; prints its id.")
    static final class GroupCreate implements Callable<Integer> {
        @ParentCommand
        Groups groups;

        @Option(names = "--name", required = true, description = "A unique name.")
        String name;

        @Option(names = "--schedule", paramLabel = "SCHEDULE", description = "The schedule's id or name.")
        String schedule;

        @Option(names = "--max-concurrent-vms", paramLabel = "N", description = "VMs at once (default 5).")
        Integer maxConcurrentVms;

        @Option(names = "--priority", paramLabel = "N", description = "0..100; lower runs first (default 50).")
        Integer priority;

        @Override
        public Integer call() {
            MigrateKitCli root = groups.parent.root;
            ApiClient api = root.api();
            ObjectNode body = ApiClient.JSON.createObjectNode().put("name", name);
            if (schedule != null) {
                body.put("schedule_id", Json.text(schedule(api, schedule), "id"));
            }
            if (maxConcurrentVms != null) {
                body.put("max_concurrent_vms", maxConcurrentVms);
            }
            if (priority != null) {
                body.put("priority", priority);
            }
            JsonNode created = api.post("/machine-groups", body).body();
            return done(root, created, Formats.safe(Json.text(created, "id")));
        }
    }

    @Command(name = "add-vm", description = "Put VMs (by name or VM context id) in a machine group.")
    static final class GroupAddVm implements Callable<Integer> {
        @ParentCommand
        Groups groups;

        @Parameters(index = "0", paramLabel = "GROUP", description = "The group's id or name.")
        String group;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "VM", description = "VM names or context ids.")
        List<String> vms;

        @Override
        public Integer call() {
            MigrateKitCli root = groups.parent.root;
            ApiClient api = root.api();
            String id = Json.text(resolve(api, "/machine-groups", group, "machine group"), "id");
            ObjectNode body = ApiClient.JSON.createObjectNode();
            ArrayNode contexts = body.putArray("vm_context_ids");
            for (String vm : vms) {
                contexts.add(contextId(api, vm));
            }
            JsonNode answer = api.post("/machine-groups/" + ApiClient.segment(id) + "/vms", body).body();
            return done(root, answer, "Added " + contexts.size() + " VM(s) to group " + Formats.safe(id));
        }

        /** A VM's context id: the argument when it is one, else the context of the VM of that name. */
        private static String contextId(ApiClient api, String vm) {
            if (vm.startsWith("ctx-")) {
                return vm;
            }
            JsonNode detail = api.find("/vm-contexts/" + ApiClient.segment(vm)).orElseThrow(() ->
                    CliFailure.of(ExitCodes.REFUSED, "no managed VM named " + vm));
            return Json.text(detail.path("context"), "context_id");
        }
    }
}
