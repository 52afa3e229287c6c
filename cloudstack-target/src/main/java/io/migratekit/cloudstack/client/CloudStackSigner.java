package io.migratekit.cloudstack.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs CloudStack API requests as the server's {@code ApiServer.verifyRequest} checks them: every
 * parameter but {@code signature}, sorted by name, joined as {@code name=value} with each value
 * URL-encoded (spaces as {@code %20}), the whole string lower-cased, HMAC-SHA1 with the secret key,
 * Base64. Owns the secret key and nothing else; never shows it ({@link #toString()} is the default).
 */
public final class CloudStackSigner {

    private final SecretKeySpec key;

    public CloudStackSigner(byte[] secretKey) {
        if (secretKey == null || secretKey.length == 0) {
            throw new IllegalArgumentException("the CloudStack secret key is empty");
        }
        this.key = new SecretKeySpec(secretKey.clone(), "HmacSHA1");
    }

    /** The string the signature is computed over, for these parameters (names as they are sent). */
    public static String stringToSign(Map<String, String> parameters) {
        StringJoiner joined = new StringJoiner("&");
        new TreeMap<>(parameters).forEach((name, value) -> {
            if (!"signature".equals(name)) {
                joined.add(name + "=" + encode(value));
            }
        });
        return joined.toString().toLowerCase(Locale.ROOT);
    }

    /** The Base64 signature of these parameters. */
    public String sign(Map<String, String> parameters) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign(parameters).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
        }
    }

    /** URL-encodes a value the way the server does when it verifies: spaces as {@code %20}. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
