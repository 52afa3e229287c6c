package io.migratekit.schemas;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids in the formats of the original product: jobs {@code job-YYYYMMDD-HHMMSS.mmm-xxxxxx},
 * contexts {@code ctx-<vm>-YYYYMMDD-HHMMSS}, failovers {@code failover-YYYYMMDD-HHMMSS.mmm-xxxxxx},
 * and event ids (UUIDs).
 */
public final class EventIds {

    private static final DateTimeFormatter JOB_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CONTEXT_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

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

    public static String newContextId(String vmName, Instant at) {
        return "ctx-" + sanitize(vmName) + "-" + CONTEXT_TIME.format(at);
    }

    private static String sanitize(String vmName) {
        String cleaned = vmName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        return cleaned.length() > 100 ? cleaned.substring(0, 100) : cleaned;
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
