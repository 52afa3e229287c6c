package io.migratekit.cssim;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a request's signature the way CloudStack's {@code ApiServer.verifyRequest} does: every
 * parameter but {@code signature}, names sorted as sent (case-sensitive), {@code name=value} with
 * the value URL-encoded (spaces as {@code %20}), joined with {@code &}, lower-cased, HMAC-SHA1 with
 * the secret key, Base64; with {@code signatureversion=3} the {@code expires} time must not have
 * passed (and, when a window is configured, not lie further ahead than it).
 *
 * <p>Owns the string to sign, the HMAC and the expiry check; which key pair is valid belongs to
 * the caller. Pure functions of their inputs.
 */
final class Signatures {

    private static final DateTimeFormatter OFFSET_WITHOUT_COLON = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]Z");

    private Signatures() {
    }

    /** The lower-cased string CloudStack signs for these decoded parameters. */
    static String stringToSign(Map<String, String> params) {
        List<String> names = new ArrayList<>(params.keySet());
        Collections.sort(names);
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            if ("signature".equalsIgnoreCase(name)) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(name).append('=').append(URLEncoder.encode(params.get(name), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Base64 of HMAC-SHA1 over the string with the secret key. */
    static String hmac(String stringToSign, String secretKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /**
     * Whether the request is signed with this key pair and not expired; {@code maxAhead} null
     * means no upper bound on {@code expires}.
     */
    static boolean verify(Map<String, String> params, String apiKey, String secretKey, Instant now, Duration maxAhead) {
        String key = valueIgnoringCase(params, "apikey");
        String signature = valueIgnoringCase(params, "signature");
        if (key == null || signature == null || !MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                apiKey.getBytes(StandardCharsets.UTF_8))) {
            return false;
        }
        if ("3".equals(valueIgnoringCase(params, "signatureversion"))) {
            Instant expires = parseExpires(valueIgnoringCase(params, "expires"));
            if (expires == null || now.isAfter(expires)) {
                return false;
            }
            if (maxAhead != null && expires.isAfter(now.plus(maxAhead))) {
                return false;
            }
        }
        String expected = hmac(stringToSign(params), secretKey);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code 2026-12-06T10:15:00Z}, {@code ...+00:00} or {@code ...+0000}; null if absent or unreadable. */
    static Instant parseExpires(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value, OFFSET_WITHOUT_COLON).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    static String valueIgnoringCase(Map<String, String> params, String name) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
