package io.migratekit.progress.follow;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a text from outside (the VMA's {@code last_error}, an HTTP error body) fit for an event,
 * a log line or the database: removes every configured secret verbatim, anything that looks like a
 * credential ({@code password=…}, {@code "token": "…"}, {@code Bearer …}, {@code user:pass@} in URLs),
 * collapses whitespace and caps the length. Owns no secret source; it is given the secrets.
 */
public final class SecretRedactor {

    public static final String REDACTED = "<redacted>";
    private static final int MAX_LENGTH = 500;
    private static final int SHORTEST_SECRET = 4;

    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)(pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|authorization)"
                    + "(\"?\\s*[:=]\\s*\"?)([^\\s\"'&,;}]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
    private static final Pattern URL_USERINFO = Pattern.compile("(//)[^/@\\s]+@");

    private final List<String> secrets;

    /** @param secrets values that must never appear (passwords, tokens); blank and very short ones are ignored */
    public SecretRedactor(Collection<String> secrets) {
        this.secrets = secrets.stream().filter(Objects::nonNull).map(String::strip)
                .filter(s -> s.length() >= SHORTEST_SECRET).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** A redactor that knows no configured secret (patterns only). */
    public static SecretRedactor patternsOnly() {
        return new SecretRedactor(List.of());
    }

    /** The text with secrets removed, on one line, at most 500 characters; "" for null. */
    public String clean(String text) {
        if (text == null) {
            return "";
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, REDACTED);
        }
        result = URL_USERINFO.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(REDACTED) + "@");
        result = BEARER.matcher(result).replaceAll("$1 " + Matcher.quoteReplacement(REDACTED));
        result = KEY_VALUE.matcher(result).replaceAll("$1$2" + Matcher.quoteReplacement(REDACTED));
        result = result.replaceAll("\\s+", " ").strip();
        return result.length() > MAX_LENGTH ? result.substring(0, MAX_LENGTH - 1) + "…" : result;
    }
}
