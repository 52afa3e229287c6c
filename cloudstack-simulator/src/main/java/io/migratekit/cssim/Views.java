package io.migratekit.cssim;

import io.migratekit.cssim.CloudState.Snapshot;
import io.migratekit.cssim.CloudState.Volume;
import io.migratekit.cssim.CloudState.Vm;
import io.migratekit.cssim.SimulatorConfig.Named;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON objects CloudStack answers for each kind of entity (field names as CloudStack's
 * response classes name them). Owns rendering only; reads the seeded world from the configuration
 * and names of related entities from the state.
 */
final class Views {

    private final SimulatorConfig config;

    Views(SimulatorConfig config) {
        this.config = config;
    }

    String zoneName(String zoneId) {
        if (config.zone().id().equals(zoneId)) {
            return config.zone().name();
        }
        return config.extraZones().stream().filter(z -> z.id().equals(zoneId)).map(Named::name).findFirst().orElse(zoneId);
    }

    ObjectNode zone(Named zone) {
        ObjectNode n = Json.object();
        n.put("id", zone.id());
        n.put("name", zone.name());
        n.put("networktype", "Advanced");
        n.put("allocationstate", "Enabled");
        n.put("localstorageenabled", false);
        n.put("securitygroupsenabled", false);
        return n;
    }

    ObjectNode account() {
        ObjectNode n = Json.object();
        n.put("id", config.account().id());
        n.put("name", config.account().name());
        n.put("accounttype", 0);
        n.put("roletype", "User");
        n.put("domainid", config.domainId());
        n.put("domain", "ROOT");
        n.put("state", "enabled");
        return n;
    }

    ObjectNode serviceOffering() {
        ObjectNode n = Json.object();
        n.put("id", config.serviceOffering().id());
        n.put("name", config.serviceOffering().name());
        n.put("displaytext", config.serviceOffering().name());
        n.put("iscustomized", true);
        n.put("storagetype", "shared");
        n.put("created", Json.date(0));
        return n;
    }

    ObjectNode diskOffering() {
        ObjectNode n = Json.object();
        n.put("id", config.diskOffering().id());
        n.put("name", config.diskOffering().name());
        n.put("displaytext", config.diskOffering().name());
        n.put("iscustomized", true);
        n.put("disksize", 0);
        n.put("storagetype", "shared");
        n.put("created", Json.date(0));
        return n;
    }

    ObjectNode template() {
        ObjectNode n = Json.object();
        n.put("id", config.template().id());
        n.put("name", config.template().name());
        n.put("displaytext", config.template().name());
        n.put("zoneid", config.zone().id());
        n.put("zonename", config.zone().name());
        n.put("size", config.templateSizeGiB() << 30);
        n.put("isready", true);
        n.put("format", "QCOW2");
        n.put("hypervisor", "KVM");
        n.put("templatetype", "USER");
        n.put("created", Json.date(0));
        return n;
    }

    ObjectNode network(Named network) {
        ObjectNode n = Json.object();
        n.put("id", network.id());
        n.put("name", network.name());
        n.put("displaytext", network.name());
        n.put("zoneid", config.zone().id());
        n.put("zonename", config.zone().name());
        n.put("type", "Isolated");
        n.put("state", "Implemented");
        n.put("account", config.account().name());
        n.put("domainid", config.domainId());
        return n;
    }

    ObjectNode vm(Vm vm) {
        ObjectNode n = Json.object();
        n.put("id", vm.id);
        n.put("name", vm.name);
        n.put("displayname", vm.displayName);
        n.put("account", vm.accountName);
        n.put("domainid", config.domainId());
        n.put("domain", "ROOT");
        n.put("created", Json.date(vm.created));
        n.put("state", vm.state);
        n.put("haenable", false);
        n.put("zoneid", vm.zoneId);
        n.put("zonename", zoneName(vm.zoneId));
        n.put("templateid", vm.templateId);
        n.put("serviceofferingid", vm.serviceOfferingId);
        n.put("cpunumber", vm.cpuNumber);
        n.put("memory", vm.memory);
        n.put("hypervisor", "KVM");
        ObjectNode nic = n.putArray("nic").addObject();
        nic.put("id", vm.nicId);
        nic.put("networkid", vm.networkId);
        nic.put("macaddress", vm.macAddress);
        nic.put("isdefault", true);
        nic.put("type", "Isolated");
        return n;
    }

    ObjectNode volume(Volume v, Vm attachedTo) {
        ObjectNode n = Json.object();
        n.put("id", v.id);
        n.put("name", v.name);
        n.put("zoneid", v.zoneId);
        n.put("zonename", zoneName(v.zoneId));
        n.put("type", v.type);
        n.put("size", v.sizeBytes);
        n.put("created", Json.date(v.created));
        n.put("state", v.state);
        n.put("account", v.accountName);
        n.put("domainid", config.domainId());
        n.put("domain", "ROOT");
        n.put("storagetype", "shared");
        n.put("hypervisor", "KVM");
        n.put("destroyed", false);
        if (v.diskOfferingId != null) {
            n.put("diskofferingid", v.diskOfferingId);
        }
        if (v.snapshotId != null) {
            n.put("snapshotid", v.snapshotId);
        }
        if (attachedTo != null) {
            n.put("virtualmachineid", attachedTo.id);
            n.put("vmname", attachedTo.name);
            n.put("vmdisplayname", attachedTo.displayName);
            n.put("vmstate", attachedTo.state);
            n.put("deviceid", v.deviceId);
        }
        return n;
    }

    ObjectNode snapshot(Snapshot s) {
        ObjectNode n = Json.object();
        n.put("id", s.id);
        n.put("name", s.name);
        n.put("account", s.accountName);
        n.put("domainid", config.domainId());
        n.put("volumeid", s.volumeId);
        n.put("volumetype", s.volumeType);
        n.put("snapshottype", "MANUAL");
        n.put("intervaltype", "MANUAL");
        n.put("state", "BackedUp");
        n.put("zoneid", s.zoneId);
        n.put("virtualsize", s.sizeBytes);
        n.put("created", Json.date(s.created));
        return n;
    }
}
