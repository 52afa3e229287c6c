package io.migratekit.vmasim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one simulator instance, immutable; build with {@link #builder()} or read from
 * environment variables with {@link #fromEnv(Map)}.
 *
 * <p>Owns defaults and parsing only. Environment variables (all optional):
 * <ul>
 *   <li>{@code VMA_SIM_PORT} (default 8081), {@code VMA_SIM_BIND_HOST} (default 127.0.0.1)</li>
 *   <li>{@code VMA_SIM_INVENTORY}: inventory JSON file (default: the bundled demo inventory)</li>
 *   <li>{@code VMA_SIM_COPY_RATE}: bytes per second per job, plain or with a unit ({@code 2GiB}, {@code 500MB})</li>
 *   <li>{@code VMA_SIM_INCREMENTAL_FRACTION}: share of a disk copied by an incremental sync (default 0.1)</li>
 *   <li>{@code VMA_SIM_START_DELAY_MS}, {@code VMA_SIM_DISK_GAP_MS}, {@code VMA_SIM_POWER_OFF_DELAY_MS},
 *       {@code VMA_SIM_TICK_MS}</li>
 *   <li>{@code VMA_SIM_OMA_URL}: callback base URL overriding the {@code oma_url} of replicate requests</li>
 *   <li>{@code VMA_SIM_OMA_TOKEN}: bearer token sent on the change-id callbacks; unset, the callbacks carry no
 *   {@code Authorization} header, exactly as the deployed copy engine sends them</li>
 *   <li>{@code VMA_SIM_HTTP_THREADS}</li>
 *   <li>{@code VMA_SIM_COPY_DATA}: {@code true} to write every disk's bytes to its NBD target (default false)</li>
 *   <li>{@code VMA_SIM_CONTENT_SIZE}: bytes of real content per disk, plain or with a unit (default 4MiB)</li>
 * </ul>
 */
public final class SimulatorConfig {

    /** 2 GiB/s: fast enough that the demo inventory's disks copy in tens of seconds. */
    public static final long DEFAULT_COPY_RATE = 2L * 1024 * 1024 * 1024;

    /** 4 MiB of real content per disk: 64 blocks, enough to tell copies apart, small enough for any test. */
    public static final long DEFAULT_CONTENT_BYTES = 4L * 1024 * 1024;

    /** What {@code percentage} in progress reports. */
    public enum PercentageMode {
        /** The current disk's percentage, as the real per-disk copy engine reports it (100 at each disk's end). */
        CURRENT_DISK,
        /** The whole job's percentage (bytes_transferred / total_bytes). */
        JOB
    }

    private final String bindHost;
    private final int port;
    private final Supplier<Inventory> inventory;
    private final long copyRateBytesPerSecond;
    private final double incrementalFraction;
    private final Duration tickInterval;
    private final Duration progressStartDelay;
    private final Duration diskGap;
    private final Duration gracefulPowerOffDelay;
    private final String omaUrl;
    private final String omaToken;
    private final int callbackAttempts;
    private final Duration callbackRetryBackoff;
    private final Duration callbackTimeout;
    private final int callbackConcurrency;
    private final int httpThreads;
    private final boolean reportDiskProgress;
    private final PercentageMode percentageMode;
    private final boolean copyData;
    private final long contentBytes;

    private SimulatorConfig(Builder b) {
        this.bindHost = b.bindHost;
        this.port = b.port;
        this.inventory = b.inventory;
        this.copyRateBytesPerSecond = b.copyRateBytesPerSecond;
        this.incrementalFraction = b.incrementalFraction;
        this.tickInterval = b.tickInterval;
        this.progressStartDelay = b.progressStartDelay;
        this.diskGap = b.diskGap;
        this.gracefulPowerOffDelay = b.gracefulPowerOffDelay;
        this.omaUrl = b.omaUrl;
        this.omaToken = b.omaToken;
        this.callbackAttempts = b.callbackAttempts;
        this.callbackRetryBackoff = b.callbackRetryBackoff;
        this.callbackTimeout = b.callbackTimeout;
        this.callbackConcurrency = b.callbackConcurrency;
        this.httpThreads = b.httpThreads;
        this.reportDiskProgress = b.reportDiskProgress;
        this.percentageMode = b.percentageMode;
        this.copyData = b.copyData;
        this.contentBytes = b.contentBytes;
    }

    /** A builder with the embedded defaults (note: port 0, an ephemeral port). */
    public static Builder builder() {
        return new Builder();
    }

    /** Defaults for embedding: ephemeral port on 127.0.0.1, demo inventory. */
    public static SimulatorConfig defaults() {
        return builder().build();
    }

    /** The configuration from environment variables (listed in the class comment); default port 8081. */
    public static SimulatorConfig fromEnv(Map<String, String> env) {
        Builder b = builder().port(8081);
        String v;
        if ((v = env.get("VMA_SIM_PORT")) != null && !v.isBlank()) {
            b.port(Integer.parseInt(v.trim()));
        }
        if ((v = env.get("VMA_SIM_BIND_HOST")) != null && !v.isBlank()) {
            b.bindHost(v.trim());
        }
        if ((v = env.get("VMA_SIM_INVENTORY")) != null && !v.isBlank()) {
            b.inventoryFile(Path.of(v.trim()));
        }
        if ((v = env.get("VMA_SIM_COPY_RATE")) != null && !v.isBlank()) {
            b.copyRateBytesPerSecond(parseBytes(v));
        }
        if ((v = env.get("VMA_SIM_INCREMENTAL_FRACTION")) != null && !v.isBlank()) {
            b.incrementalFraction(Double.parseDouble(v.trim()));
        }
        if ((v = env.get("VMA_SIM_START_DELAY_MS")) != null && !v.isBlank()) {
            b.progressStartDelay(Duration.ofMillis(Long.parseLong(v.trim())));
        }
        if ((v = env.get("VMA_SIM_DISK_GAP_MS")) != null && !v.isBlank()) {
            b.diskGap(Duration.ofMillis(Long.parseLong(v.trim())));
        }
        if ((v = env.get("VMA_SIM_POWER_OFF_DELAY_MS")) != null && !v.isBlank()) {
            b.gracefulPowerOffDelay(Duration.ofMillis(Long.parseLong(v.trim())));
        }
        if ((v = env.get("VMA_SIM_TICK_MS")) != null && !v.isBlank()) {
            b.tickInterval(Duration.ofMillis(Long.parseLong(v.trim())));
        }
        if ((v = env.get("VMA_SIM_OMA_URL")) != null && !v.isBlank()) {
            b.omaUrl(v.trim());
        }
        if ((v = env.get("VMA_SIM_OMA_TOKEN")) != null && !v.isBlank()) {
            b.omaToken(v.trim());
        }
        if ((v = env.get("VMA_SIM_HTTP_THREADS")) != null && !v.isBlank()) {
            b.httpThreads(Integer.parseInt(v.trim()));
        }
        if ((v = env.get("VMA_SIM_COPY_DATA")) != null && !v.isBlank()) {
            b.copyData(parseSwitch("VMA_SIM_COPY_DATA", v));
        }
        if ((v = env.get("VMA_SIM_CONTENT_SIZE")) != null && !v.isBlank()) {
            b.contentBytes(parseBytes(v));
        }
        return b.build();
    }

    private static final Pattern BYTES = Pattern.compile("(?i)^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]i?b?|b)?\\s*(?:/s)?\\s*$");

    /** Parses {@code 123}, {@code 500MB}, {@code 2GiB}, {@code 1.5 GB/s} into bytes. */
    public static long parseBytes(String value) {
        Matcher m = BYTES.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a byte quantity: " + value);
        }
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        boolean binary = unit.contains("i");
        double base = binary ? 1024 : 1000;
        int power = switch (unit.charAt(0)) {
            case 'k' -> 1;
            case 'm' -> 2;
            case 'g' -> 3;
            case 't' -> 4;
            default -> 0;
        };
        return (long) (number * Math.pow(base, power));
    }

    public String bindHost() {
        return bindHost;
    }

    /** The port; 0 means an ephemeral port (see {@link VmaSimulator#port()}). */
    public int port() {
        return port;
    }

    /** A fresh inventory for a new simulator (or the instance given to the builder). */
    public Inventory inventory() {
        return inventory.get();
    }

    public long copyRateBytesPerSecond() {
        return copyRateBytesPerSecond;
    }

    public double incrementalFraction() {
        return incrementalFraction;
    }

    public Duration tickInterval() {
        return tickInterval;
    }

    public Duration progressStartDelay() {
        return progressStartDelay;
    }

    public Duration diskGap() {
        return diskGap;
    }

    public Duration gracefulPowerOffDelay() {
        return gracefulPowerOffDelay;
    }

    /** The callback base URL overriding requests' {@code oma_url}, or null to use theirs. */
    public String omaUrl() {
        return omaUrl;
    }

    /** The bearer token for callbacks, or null for none (as the deployed engine sends). */
    public String omaToken() {
        return omaToken;
    }

    public int callbackAttempts() {
        return callbackAttempts;
    }

    public Duration callbackRetryBackoff() {
        return callbackRetryBackoff;
    }

    public Duration callbackTimeout() {
        return callbackTimeout;
    }

    public int callbackConcurrency() {
        return callbackConcurrency;
    }

    public int httpThreads() {
        return httpThreads;
    }

    public boolean reportDiskProgress() {
        return reportDiskProgress;
    }

    public PercentageMode percentageMode() {
        return percentageMode;
    }

    /** Whether copies write real bytes to the NBD targets of replicate requests. */
    public boolean copyData() {
        return copyData;
    }

    /** Bytes of real content per disk (the disk's capacity when smaller). */
    public long contentBytes() {
        return contentBytes;
    }

    private static boolean parseSwitch(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
        };
    }

    /** A builder initialised with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindHost = bindHost;
        b.port = port;
        b.inventory = inventory;
        b.copyRateBytesPerSecond = copyRateBytesPerSecond;
        b.incrementalFraction = incrementalFraction;
        b.tickInterval = tickInterval;
        b.progressStartDelay = progressStartDelay;
        b.diskGap = diskGap;
        b.gracefulPowerOffDelay = gracefulPowerOffDelay;
        b.omaUrl = omaUrl;
        b.omaToken = omaToken;
        b.callbackAttempts = callbackAttempts;
        b.callbackRetryBackoff = callbackRetryBackoff;
        b.callbackTimeout = callbackTimeout;
        b.callbackConcurrency = callbackConcurrency;
        b.httpThreads = httpThreads;
        b.reportDiskProgress = reportDiskProgress;
        b.percentageMode = percentageMode;
        b.copyData = copyData;
        b.contentBytes = contentBytes;
        return b;
    }

    /** Builds a {@link SimulatorConfig}; every setting has a default. */
    public static final class Builder {
        private String bindHost = "127.0.0.1";
        private int port = 0;
        private Supplier<Inventory> inventory = Inventory::demo;
        private long copyRateBytesPerSecond = DEFAULT_COPY_RATE;
        private double incrementalFraction = 0.10;
        private Duration tickInterval = Duration.ofMillis(100);
        private Duration progressStartDelay = Duration.ZERO;
        private Duration diskGap = Duration.ofMillis(500);
        private Duration gracefulPowerOffDelay = Duration.ZERO;
        private String omaUrl;
        private String omaToken;
        private int callbackAttempts = 3;
        private Duration callbackRetryBackoff = Duration.ofMillis(200);
        private Duration callbackTimeout = Duration.ofSeconds(10);
        private int callbackConcurrency = 16;
        private int httpThreads = 32;
        private boolean reportDiskProgress = true;
        private PercentageMode percentageMode = PercentageMode.CURRENT_DISK;
        private boolean copyData;
        private long contentBytes = DEFAULT_CONTENT_BYTES;

        private Builder() {
        }

        /** Bind address; default 127.0.0.1. */
        public Builder bindHost(String bindHost) {
            this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
            return this;
        }

        /** Port; default 0 (ephemeral) for the builder, 8081 from the environment. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Use this inventory instance (shared: tests may add VMs to it while the simulator runs). */
        public Builder inventory(Inventory inventory) {
            Objects.requireNonNull(inventory, "inventory");
            this.inventory = () -> inventory;
            return this;
        }

        /** Load the inventory from a JSON file when the simulator starts. */
        public Builder inventoryFile(Path file) {
            Objects.requireNonNull(file, "file");
            this.inventory = () -> Inventory.fromFile(file);
            return this;
        }

        /** Copy rate of each job in bytes per second; default 2 GiB/s. */
        public Builder copyRateBytesPerSecond(long rate) {
            if (rate <= 0) {
                throw new IllegalArgumentException("copy rate must be positive");
            }
            this.copyRateBytesPerSecond = rate;
            return this;
        }

        /** Share of a disk's capacity an incremental sync copies (0..1); default 0.10. */
        public Builder incrementalFraction(double fraction) {
            if (fraction < 0 || fraction > 1) {
                throw new IllegalArgumentException("incremental fraction must be within 0..1");
            }
            this.incrementalFraction = fraction;
            return this;
        }

        /** How often the engine advances all jobs; default 100 ms. */
        public Builder tickInterval(Duration tick) {
            if (tick.isNegative() || tick.isZero()) {
                throw new IllegalArgumentException("tick interval must be positive");
            }
            this.tickInterval = tick;
            return this;
        }

        /** How long after replicate the engine posts its first update (progress 404 meanwhile); default 0. */
        public Builder progressStartDelay(Duration delay) {
            this.progressStartDelay = nonNegative(delay);
            return this;
        }

        /**
         * How long status stays {@code completed} between one disk's end (after its change-id
         * callback) and the next disk's start; default 500 ms.
         */
        public Builder diskGap(Duration gap) {
            this.diskGap = nonNegative(gap);
            return this;
        }

        /**
         * When positive, a graceful power-off answers at once with {@code new_state: poweredOn} and
         * the VM turns {@code poweredOff} after this delay; default 0 (synchronous).
         */
        public Builder gracefulPowerOffDelay(Duration delay) {
            this.gracefulPowerOffDelay = nonNegative(delay);
            return this;
        }

        /** Callback base URL used instead of each request's {@code oma_url}; default none. */
        public Builder omaUrl(String omaUrl) {
            this.omaUrl = omaUrl;
            return this;
        }

        /** Bearer token for the callbacks; default none. */
        public Builder omaToken(String omaToken) {
            this.omaToken = omaToken;
            return this;
        }

        /** Attempts per callback (first try included) on I/O errors and 5xx; default 3. */
        public Builder callbackAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1");
            }
            this.callbackAttempts = attempts;
            return this;
        }

        /** Backoff before the n-th retry is n times this; default 200 ms. */
        public Builder callbackRetryBackoff(Duration backoff) {
            this.callbackRetryBackoff = nonNegative(backoff);
            return this;
        }

        /** Timeout of one callback request; default 10 s. */
        public Builder callbackTimeout(Duration timeout) {
            this.callbackTimeout = nonNegative(timeout);
            return this;
        }

        /** Most callback requests in flight at once across all jobs; default 16. */
        public Builder callbackConcurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
            this.callbackConcurrency = concurrency;
            return this;
        }

        /** Threads serving HTTP requests (delayed responses hold one each); default 32. */
        public Builder httpThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            this.httpThreads = threads;
            return this;
        }

        /** Whether progress fills {@code disk_progresses[]}; default true (the real one often sends it empty). */
        public Builder reportDiskProgress(boolean report) {
            this.reportDiskProgress = report;
            return this;
        }

        /** What {@code percentage} means; default {@link PercentageMode#CURRENT_DISK}. */
        public Builder percentageMode(PercentageMode mode) {
            this.percentageMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Whether copies write real bytes: every allocated block of a full copy, the changed blocks
         * of an incremental, over NBD to each disk's {@code device_path}; a copy then fails when its
         * target cannot be reached or refuses the writes, and an incremental since a change id the
         * simulator never handed out fails the job. Default false: progress only, for stacks whose
         * target platform serves no NBD export.
         */
        public Builder copyData(boolean copyData) {
            this.copyData = copyData;
            return this;
        }

        /** Bytes of real content per disk, the disk's capacity when smaller; default 4 MiB. */
        public Builder contentBytes(long bytes) {
            if (bytes < 0 || bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("content size must be within 0..2 GiB");
            }
            this.contentBytes = bytes;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(this);
        }

        private static Duration nonNegative(Duration d) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative()) {
                throw new IllegalArgumentException("duration must not be negative");
            }
            return d;
        }
    }
}
