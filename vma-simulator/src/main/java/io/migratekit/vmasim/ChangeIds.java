package io.migratekit.vmasim;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates CBT change ids that look like vSphere's: sixteen hex bytes, a dash after the eighth,
 * then {@code /<sequence>}, e.g. {@code 52 3c ec 17 6d 4e 2f 8a-b1 9c 0e 3a 7f 22 51 d4/4}.
 *
 * <p>Owns the format only. As in vSphere, the byte part is stable per disk (one CBT "generation")
 * and the sequence grows with every sync; a previous id that is not in this format starts a new
 * generation.
 */
final class ChangeIds {

    static final Pattern FORMAT = Pattern.compile(
            "^((?:[0-9a-f]{2} ){7}[0-9a-f]{2}-(?:[0-9a-f]{2} ){7}[0-9a-f]{2})/(\\d+)$");

    private ChangeIds() {
    }

    /** The next change id of a disk after {@code previous} (empty or null for a first sync). */
    static String next(String vmId, int diskKey, String previous) {
        if (previous != null) {
            Matcher m = FORMAT.matcher(previous.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long seq = Long.parseLong(m.group(2));
                return m.group(1) + "/" + (seq + 1 + ThreadLocalRandom.current().nextInt(3));
            }
        }
        return generation(vmId, diskKey) + "/" + (1 + ThreadLocalRandom.current().nextInt(8));
    }

    private static String generation(String vmId, int diskKey) {
        UUID uuid = UUID.nameUUIDFromBytes(("cbt:" + vmId + ":" + diskKey).getBytes(StandardCharsets.UTF_8));
        long hi = uuid.getMostSignificantBits();
        long lo = uuid.getLeastSignificantBits();
        StringBuilder sb = new StringBuilder(47);
        for (int i = 0; i < 16; i++) {
            long word = i < 8 ? hi : lo;
            int b = (int) (word >>> (56 - 8 * (i % 8))) & 0xff;
            if (i == 0) {
                b = 0x52;
            }
            if (i > 0) {
                sb.append(i == 8 ? '-' : ' ');
            }
            sb.append(String.format(Locale.ROOT, "%02x", b));
        }
        return sb.toString();
    }
}
