package io.migratekit.schemas;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids in the formats of the original product: jobs {@code job-YYYYMMDD-HHMMSS.mmm-xxxxxx},
 * failovers {@code failover-YYYYMMDD-HHMMSS.mmm-xxxxxx}, event ids (UUIDs), and contexts
 * {@code ctx-<vm name>-YYYYMMDD-HHMMSS-<vmware vm id>}: the readable prefix of the original, made
 * unique by the VM id (the decision keeps one context per VM id), since two VMs of one name (other
 * folder or vCenter) can be added in the same second.
 */
public final class EventIds {

    private static final DateTimeFormatter JOB_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CONTEXT_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** The length of {@code vm_replication_contexts.context_id}. */
    public static final int MAX_CONTEXT_ID = 160;
    private static final int MIN_NAME_PART = 8;

    private EventIds() {
    }

    public static String newEventId() {
        return UUID.randomUUID().toString();
    }

    public static String newJobId(Instant at) {
        return "job-" + JOB_TIME.format(at.truncatedTo(ChronoUnit.MILLIS)) + "-" + randomHex(6);
    }

    public static String newFailoverId(Instant at) {
        return "failover-" + JOB_TIME.format(at.truncatedTo(ChronoUnit.MILLIS)) + "-" + randomHex(6);
    }

    /**
     * The id of a new context of this VM. The VM id is appended URL-encoded (a BIOS UUID stays as it
     * is), so different VM ids give different context ids whatever their names; the name part is
     * shortened to keep the id within {@link #MAX_CONTEXT_ID} characters.
     */
    public static String newContextId(String vmName, String vmwareVmId, Instant at) {
        String suffix = "-" + CONTEXT_TIME.format(at) + "-" + URLEncoder.encode(vmwareVmId, StandardCharsets.UTF_8);
        int room = Math.max(MIN_NAME_PART, MAX_CONTEXT_ID - "ctx-".length() - suffix.length());
        return "ctx-" + sanitize(vmName, room) + suffix;
    }

    private static String sanitize(String vmName, int maxLength) {
        String cleaned = vmName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        return cleaned.length() > maxLength ? cleaned.substring(0, maxLength) : cleaned;
    }

    private static String randomHex(int digits) {
        StringBuilder sb = new StringBuilder(digits);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < digits; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }
}
