package io.migratekit.cssim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of one CloudStack simulator, immutable: where it listens, the API key pair it
 * accepts, its data and device directories, the async job delay and the seeded world (zone,
 * account, appliance VM, offerings, template, networks). Build with {@link #builder()} or read from
 * the environment with {@link #fromEnv(Map)}.
 *
 * <p>Owns defaults and validation only. There is no default key pair: {@link Builder#build()}
 * refuses a configuration without one. The seeded ids have fixed defaults so that a standalone
 * stack can name them in its own configuration.
 */
public final class SimulatorConfig {

    /** An id and a name, for the seeded zones, accounts, offerings, templates and networks. */
    public record Named(String id, String name) {
        public Named {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    private final String bindHost;
    private final int port;
    private final Path dataDir;
    private final Path deviceDir;
    private final String apiKey;
    private final String secretKey;
    private final Duration jobDelay;
    private final Duration maxExpiresAhead;
    private final Named zone;
    private final List<Named> extraZones;
    private final Named account;
    private final String domainId;
    private final List<Named> extraAccounts;
    private final Named applianceVm;
    private final String applianceMac;
    private final Named diskOffering;
    private final Named serviceOffering;
    private final Named template;
    private final long templateSizeGiB;
    private final List<Named> networks;
    private final int httpThreads;

    private SimulatorConfig(Builder b) {
        this.bindHost = b.bindHost;
        this.port = b.port;
        this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir is required");
        this.deviceDir = b.deviceDir != null ? b.deviceDir : b.dataDir.resolve("devices");
        if (b.apiKey == null || b.apiKey.isBlank() || b.secretKey == null || b.secretKey.isBlank()) {
            throw new IllegalArgumentException("an API key and secret key are required (there is no default pair)");
        }
        this.apiKey = b.apiKey;
        this.secretKey = b.secretKey;
        this.jobDelay = b.jobDelay;
        this.maxExpiresAhead = b.maxExpiresAhead;
        this.zone = b.zone;
        this.extraZones = List.copyOf(b.extraZones);
        this.account = b.account;
        this.domainId = b.domainId;
        this.extraAccounts = List.copyOf(b.extraAccounts);
        this.applianceVm = b.applianceVm;
        this.applianceMac = b.applianceMac;
        this.diskOffering = b.diskOffering;
        this.serviceOffering = b.serviceOffering;
        this.template = b.template;
        this.templateSizeGiB = b.templateSizeGiB;
        this.networks = List.copyOf(b.networks);
        this.httpThreads = b.httpThreads;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration from environment variables: {@code CS_SIM_DATA_DIR} (required),
     * {@code CS_SIM_API_KEY} and {@code CS_SIM_SECRET_KEY} (required), {@code CS_SIM_PORT} (8088),
     * {@code CS_SIM_BIND_HOST} (127.0.0.1), {@code CS_SIM_DEVICE_DIR} (data dir /devices),
     * {@code CS_SIM_JOB_DELAY_MS} (500), {@code CS_SIM_APPLIANCE_VM_ID}, {@code CS_SIM_APPLIANCE_MAC}.
     */
    public static SimulatorConfig fromEnv(Map<String, String> env) {
        Builder b = builder().port(8088);
        String dataDir = env.get("CS_SIM_DATA_DIR");
        if (dataDir == null || dataDir.isBlank()) {
            throw new IllegalArgumentException("CS_SIM_DATA_DIR is required");
        }
        b.dataDir(Path.of(dataDir.trim()));
        b.apiKey(env.get("CS_SIM_API_KEY")).secretKey(env.get("CS_SIM_SECRET_KEY"));
        String v;
        if ((v = env.get("CS_SIM_PORT")) != null && !v.isBlank()) {
            b.port(Integer.parseInt(v.trim()));
        }
        if ((v = env.get("CS_SIM_BIND_HOST")) != null && !v.isBlank()) {
            b.bindHost(v.trim());
        }
        if ((v = env.get("CS_SIM_DEVICE_DIR")) != null && !v.isBlank()) {
            b.deviceDir(Path.of(v.trim()));
        }
        if ((v = env.get("CS_SIM_JOB_DELAY_MS")) != null && !v.isBlank()) {
            b.jobDelay(Duration.ofMillis(Long.parseLong(v.trim())));
        }
        if ((v = env.get("CS_SIM_APPLIANCE_VM_ID")) != null && !v.isBlank()) {
            b.applianceVm(new Named(v.trim(), b.applianceVm.name()));
        }
        if ((v = env.get("CS_SIM_APPLIANCE_MAC")) != null && !v.isBlank()) {
            b.applianceMac(v.trim());
        }
        return b.build();
    }

    public String bindHost() {
        return bindHost;
    }

    public int port() {
        return port;
    }

    /** Where the state file, the volumes' backing files and the snapshots live. */
    public Path dataDir() {
        return dataDir;
    }

    /** Where volumes attached to the appliance appear as {@code virtio-<20 hex>} links. */
    public Path deviceDir() {
        return deviceDir;
    }

    public String apiKey() {
        return apiKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** How long an async job stays pending (jobstatus 0) before it runs. */
    public Duration jobDelay() {
        return jobDelay;
    }

    /** When set, an {@code expires} further ahead than this is refused (CloudStack's enforced window); null = off. */
    public Duration maxExpiresAhead() {
        return maxExpiresAhead;
    }

    /** The appliance's zone, where the seeded world lives. */
    public Named zone() {
        return zone;
    }

    public List<Named> extraZones() {
        return extraZones;
    }

    /** The account of the API key; it owns the appliance VM. */
    public Named account() {
        return account;
    }

    public String domainId() {
        return domainId;
    }

    /** Other accounts, for VMs the key's account may not attach volumes to. */
    public List<Named> extraAccounts() {
        return extraAccounts;
    }

    public Named applianceVm() {
        return applianceVm;
    }

    public String applianceMac() {
        return applianceMac;
    }

    /** The custom-size disk offering. */
    public Named diskOffering() {
        return diskOffering;
    }

    /** The custom (cpuNumber / memory in details) service offering. */
    public Named serviceOffering() {
        return serviceOffering;
    }

    public Named template() {
        return template;
    }

    /** The size of a ROOT volume deployed from the template. */
    public long templateSizeGiB() {
        return templateSizeGiB;
    }

    public List<Named> networks() {
        return networks;
    }

    public int httpThreads() {
        return httpThreads;
    }

    /** A builder initialised with this configuration (for a restart with the same world). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindHost = bindHost;
        b.port = port;
        b.dataDir = dataDir;
        b.deviceDir = deviceDir;
        b.apiKey = apiKey;
        b.secretKey = secretKey;
        b.jobDelay = jobDelay;
        b.maxExpiresAhead = maxExpiresAhead;
        b.zone = zone;
        b.extraZones = new ArrayList<>(extraZones);
        b.account = account;
        b.domainId = domainId;
        b.extraAccounts = new ArrayList<>(extraAccounts);
        b.applianceVm = applianceVm;
        b.applianceMac = applianceMac;
        b.diskOffering = diskOffering;
        b.serviceOffering = serviceOffering;
        b.template = template;
        b.templateSizeGiB = templateSizeGiB;
        b.networks = new ArrayList<>(networks);
        b.httpThreads = httpThreads;
        return b;
    }

    /** Builds a {@link SimulatorConfig}; data dir and key pair are required, everything else has a default. */
    public static final class Builder {
        private String bindHost = "127.0.0.1";
        private int port = 0;
        private Path dataDir;
        private Path deviceDir;
        private String apiKey;
        private String secretKey;
        private Duration jobDelay = Duration.ofMillis(500);
        private Duration maxExpiresAhead;
        private Named zone = new Named("9a7f4c1e-2d3b-4e5f-8a6b-7c8d9e0f1a2b", "zone-sim");
        private List<Named> extraZones = new ArrayList<>();
        private Named account = new Named("5b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", "migratekit");
        private String domainId = "1d2c3b4a-5968-4776-8584-93a2b1c0d9e8";
        private List<Named> extraAccounts = new ArrayList<>();
        private Named applianceVm = new Named("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "migratekit-appliance");
        private String applianceMac = "02:00:4d:4b:00:01";
        private Named diskOffering = new Named("d15c0ff3-0000-4000-8000-000000000001", "Custom");
        private Named serviceOffering = new Named("5e7f1ce0-0000-4000-8000-000000000002", "Custom");
        private Named template = new Named("7e3b1a7e-0000-4000-8000-000000000003", "Rocky Linux 9");
        private long templateSizeGiB = 8;
        private List<Named> networks = new ArrayList<>(List.of(
                new Named("2e7a0001-0000-4000-8000-000000000004", "net-test"),
                new Named("2e7a0002-0000-4000-8000-000000000005", "net-live")));
        private int httpThreads = 16;

        private Builder() {
        }

        public Builder bindHost(String bindHost) {
            this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
            return this;
        }

        /** Port; default 0 (ephemeral) for the builder, 8088 from the environment. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        public Builder deviceDir(Path deviceDir) {
            this.deviceDir = Objects.requireNonNull(deviceDir, "deviceDir");
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder secretKey(String secretKey) {
            this.secretKey = secretKey;
            return this;
        }

        /** How long async jobs stay pending; default 500 ms. */
        public Builder jobDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("job delay must not be negative");
            }
            this.jobDelay = delay;
            return this;
        }

        /** Refuse an {@code expires} more than this ahead (CloudStack uses 15 minutes when it enforces); default off. */
        public Builder maxExpiresAhead(Duration window) {
            this.maxExpiresAhead = window;
            return this;
        }

        public Builder zone(Named zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        public Builder extraZone(Named zone) {
            this.extraZones.add(Objects.requireNonNull(zone, "zone"));
            return this;
        }

        public Builder account(Named account) {
            this.account = Objects.requireNonNull(account, "account");
            return this;
        }

        public Builder domainId(String domainId) {
            this.domainId = Objects.requireNonNull(domainId, "domainId");
            return this;
        }

        public Builder extraAccount(Named account) {
            this.extraAccounts.add(Objects.requireNonNull(account, "account"));
            return this;
        }

        public Builder applianceVm(Named vm) {
            this.applianceVm = Objects.requireNonNull(vm, "vm");
            return this;
        }

        public Builder applianceMac(String mac) {
            this.applianceMac = Objects.requireNonNull(mac, "mac");
            return this;
        }

        public Builder diskOffering(Named offering) {
            this.diskOffering = Objects.requireNonNull(offering, "offering");
            return this;
        }

        public Builder serviceOffering(Named offering) {
            this.serviceOffering = Objects.requireNonNull(offering, "offering");
            return this;
        }

        public Builder template(Named template, long sizeGiB) {
            if (sizeGiB < 1) {
                throw new IllegalArgumentException("template size must be at least 1 GiB");
            }
            this.template = Objects.requireNonNull(template, "template");
            this.templateSizeGiB = sizeGiB;
            return this;
        }

        /** Replaces the networks (default: net-test and net-live). */
        public Builder networks(List<Named> networks) {
            this.networks = new ArrayList<>(networks);
            return this;
        }

        public Builder httpThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            this.httpThreads = threads;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(this);
        }
    }
}
