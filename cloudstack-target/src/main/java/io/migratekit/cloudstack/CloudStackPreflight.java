package io.migratekit.cloudstack;

import io.migratekit.cloudstack.client.CloudStackClient;
import io.migratekit.cloudstack.client.CloudStackException;
import io.migratekit.cloudstack.client.CloudStackModel.Account;
import io.migratekit.cloudstack.client.CloudStackModel.DiskOffering;
import io.migratekit.cloudstack.client.CloudStackModel.Network;
import io.migratekit.cloudstack.client.CloudStackModel.ServiceOffering;
import io.migratekit.cloudstack.client.CloudStackModel.VirtualMachine;
import io.migratekit.cloudstack.client.CloudStackModel.Zone;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Checks a {@link CloudStackTargetConfig} against its cloud before it is used: the secret can be
 * read, the key is accepted, the zone is available, the offerings (the disk offering of custom size)
 * and the template exist, every mapped network exists, and the appliance VM (configured, or the one
 * VM with the appliance's MAC addresses, {@link ApplianceIdentity}) exists and belongs to the key's
 * account (a volume can only be attached to a VM of the same account). Answers every
 * problem found, in plain words; none means the configuration is usable. Reads only; creates
 * nothing, so whether snapshots of attached volumes work on this cloud's storage is not checked.
 */
public final class CloudStackPreflight {

    /**
     * The outcome for one configuration.
     *
     * @param applianceVmId the appliance VM: the configured one, or the one found by MAC address (null if none was)
     */
    public record Report(long configId, String applianceVmId, List<String> problems) {

        public Report {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private CloudStackPreflight() {
    }

    /** Reads the secret from {@code environment} or its file, then checks against the cloud. */
    public static Report check(CloudStackTargetConfig config, Function<String, String> environment,
            CloudStackClient.Timing timing, Clock clock) {
        CloudStackClient client;
        try {
            client = config.client(environment, timing, clock);
        } catch (IllegalStateException e) {
            return new Report(config.id(), config.applianceVmId(), List.of(e.getMessage()));
        }
        return check(config, client, ApplianceIdentity::localMacs);
    }

    /**
     * Checks against the cloud through this client.
     *
     * @param localMacs this machine's MAC addresses, to find the appliance VM by when neither its id nor its
     *                  MAC addresses are configured
     */
    public static Report check(CloudStackTargetConfig config, CloudStackClient client,
            Supplier<List<String>> localMacs) {
        List<String> problems = new ArrayList<>();
        Optional<List<Zone>> zones;
        try {
            zones = Optional.of(client.listZones());
        } catch (CloudStackException e) {
            if (e.kind() == CloudStackException.Kind.API_ERROR && e.errorCode() == 401) {
                // nothing else can be checked with a refused key
                return new Report(config.id(), config.applianceVmId(), List.of("CloudStack at " + client.endpoint()
                        + " refused the API key "
                        + "or its secret key: " + e.errorText()));
            }
            problems.add("cannot list zones: " + e.getMessage());
            zones = Optional.empty();
        }
        zones.ifPresent(all -> {
            if (all.stream().noneMatch(z -> config.zoneId().equals(z.id()))) {
                problems.add("zone " + config.zoneId() + " is not among the available zones ("
                        + names(all, Zone::name, Zone::id) + ")");
            }
        });
        list(problems, "service offerings", client::listServiceOfferings).ifPresent(all -> {
            if (all.stream().noneMatch(o -> config.serviceOfferingId().equals(o.id()))) {
                problems.add("service offering " + config.serviceOfferingId() + " does not exist ("
                        + names(all, ServiceOffering::name, ServiceOffering::id) + ")");
            }
        });
        list(problems, "disk offerings", client::listDiskOfferings).ifPresent(all -> {
            Optional<DiskOffering> offering = all.stream().filter(o -> config.diskOfferingId().equals(o.id())).findFirst();
            if (offering.isEmpty()) {
                problems.add("disk offering " + config.diskOfferingId() + " does not exist ("
                        + names(all, DiskOffering::name, DiskOffering::id) + ")");
            } else if (!offering.get().customized()) {
                problems.add("disk offering " + config.diskOfferingId() + " (" + offering.get().name() + ") has a fixed "
                        + "size; replication volumes need a custom-size disk offering");
            }
        });
        list(problems, "templates", client::listTemplates).ifPresent(all -> {
            boolean inZone = all.stream().anyMatch(t -> config.templateId().equals(t.id())
                    && (t.zoneId() == null || config.zoneId().equals(t.zoneId())));
            if (!inZone) {
                problems.add("template " + config.templateId() + " is not an executable template in zone "
                        + config.zoneId());
            }
        });
        list(problems, "networks", client::listNetworks).ifPresent(all -> {
            networkProblems(problems, "test", config.testNetworks(), all);
            networkProblems(problems, "live", config.liveNetworks(), all);
        });
        if (config.liveNetworks().defaultNetworkIds().isEmpty()) {
            problems.add("the live network mapping has no default network: a live failover without a target network "
                    + "would have none");
        }
        Optional<List<Account>> accounts = list(problems, "accounts", client::listAccounts);
        Optional<VirtualMachine> vm = applianceVm(config, client, localMacs, problems);
        vm.ifPresent(appliance -> {
            accounts.ifPresent(all -> {
                Optional<Account> own = keysAccount(config.apiKey(), all);
                if (own.isEmpty()) {
                    problems.add("cannot tell which account the API key belongs to (it sees " + all.size()
                            + " accounts); the appliance VM must belong to it");
                } else if (!own.get().name().equals(appliance.account())) {
                    problems.add("appliance VM " + appliance.id() + " belongs to account " + appliance.account()
                            + ", not to the API key's account " + own.get().name()
                            + ": volumes created with this key cannot be attached to it");
                }
            });
        });
        return new Report(config.id(), vm.map(VirtualMachine::id).orElse(config.applianceVmId()), problems);
    }

    /** The configured appliance VM, or the one VM carrying the appliance's MAC addresses; a problem otherwise. */
    private static Optional<VirtualMachine> applianceVm(CloudStackTargetConfig config, CloudStackClient client,
            Supplier<List<String>> localMacs, List<String> problems) {
        if (config.applianceVmId() != null) {
            Optional<List<VirtualMachine>> listed = list(problems, "the appliance VM",
                    () -> client.listVirtualMachines(Map.of("id", config.applianceVmId())));
            Optional<VirtualMachine> vm = listed.flatMap(vms -> vms.stream()
                    .filter(v -> config.applianceVmId().equals(v.id())).findFirst());
            if (listed.isPresent() && vm.isEmpty()) {
                problems.add("appliance VM " + config.applianceVmId() + " does not exist or the API key cannot see it");
            }
            return vm;
        }
        List<String> macs = config.applianceMacs().isEmpty() ? localMacs.get() : config.applianceMacs();
        Optional<List<VirtualMachine>> all = list(problems, "virtual machines (to find the appliance by MAC address)",
                () -> client.listVirtualMachines(Map.of()));
        if (all.isEmpty()) {
            return Optional.empty();
        }
        ApplianceIdentity.Match match = ApplianceIdentity.find(all.get(), macs);
        if (!match.found()) {
            problems.add(match.problem());
        }
        return Optional.ofNullable(match.vm());
    }

    /** The account whose users include this API key; the only account when the key sees one. */
    private static Optional<Account> keysAccount(String apiKey, List<Account> accounts) {
        Optional<Account> byKey = accounts.stream()
                .filter(a -> a.user().stream().anyMatch(u -> apiKey.equals(u.apiKey()))).findFirst();
        return byKey.isPresent() || accounts.size() != 1 ? byKey : Optional.of(accounts.get(0));
    }

    private static void networkProblems(List<String> problems, String kind, NetworkMapping mapping, List<Network> all) {
        for (String id : mapping.allNetworkIds()) {
            if (all.stream().noneMatch(n -> id.equals(n.id()))) {
                problems.add("network " + id + " of the " + kind + " network mapping does not exist or the API key "
                        + "cannot see it");
            }
        }
    }

    private static <T> Optional<List<T>> list(List<String> problems, String what, Supplier<List<T>> call) {
        try {
            return Optional.of(call.get());
        } catch (CloudStackException e) {
            problems.add("cannot list " + what + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static <T> String names(List<T> items, Function<T, String> name, Function<T, String> id) {
        return items.isEmpty() ? "there are none"
                : "there are " + items.stream().map(i -> name.apply(i) + " " + id.apply(i)).collect(Collectors.joining(", "));
    }
}
