package io.migratekit.cssim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code /client/api} endpoint: reads the parameters of a GET query or a form-encoded POST,
 * authenticates as CloudStack does (401 when the key, the signature or {@code expires} is wrong),
 * answers an unknown command with 432, applies injected HTTP faults, hands the command to
 * {@link Cloud} and wraps the answer in {@code {"<command>response": ...}}; a refusal becomes an
 * error of the same shape with its errorcode as HTTP status.
 *
 * <p>Owns the envelope and the order of checks; the commands' semantics belong to {@link Cloud}.
 */
final class ApiHandler {

    /** The answer and its HTTP status. */
    record Answer(int status, ObjectNode body) {
    }

    private final SimulatorConfig config;
    private final Cloud cloud;
    private final Faults faults;
    private final Clock clock;

    ApiHandler(SimulatorConfig config, Cloud cloud, Faults faults, Clock clock) {
        this.config = config;
        this.cloud = cloud;
        this.faults = faults;
        this.clock = clock;
    }

    Answer handle(String rawQuery, String contentType, byte[] body) {
        Map<String, String> raw = new LinkedHashMap<>();
        decodeInto(rawQuery, raw);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            decodeInto(new String(body, StandardCharsets.UTF_8), raw);
        }
        Params p = new Params(raw);
        String sent = p.command();
        String command = sent == null ? "" : sent.toLowerCase(Locale.ROOT);
        if (!Signatures.verify(p.asSent(), config.apiKey(), config.secretKey(), clock.instant(), config.maxExpiresAhead())) {
            return error(command, new ApiException(401, ApiException.CS_SERVER_API,
                    "unable to verify user credentials and/or request signature"));
        }
        if (!Cloud.isList(command) && !Cloud.ASYNC.containsKey(command)
                && !"deletevolume".equals(command) && !"queryasyncjobresult".equals(command)) {
            return error(command, new ApiException(432, ApiException.CS_SERVER_API,
                    "The given command does not exist or it is not available for user"));
        }
        var injected = faults.take(Faults.Kind.HTTP_ERROR, command);
        if (injected.isPresent()) {
            return error(command, new ApiException(injected.get().errorCode(), ApiException.CS_CLOUD_RUNTIME, injected.get().errorText()));
        }
        try {
            ObjectNode result;
            if (Cloud.isList(command)) {
                result = cloud.list(command, p);
            } else if ("deletevolume".equals(command)) {
                result = cloud.deleteVolume(p);
            } else if ("queryasyncjobresult".equals(command)) {
                result = cloud.queryJob(p);
            } else {
                result = cloud.submit(command, p);
            }
            return new Answer(200, envelope(command, result));
        } catch (ApiException e) {
            return error(command, e);
        }
    }

    private static Answer error(String command, ApiException e) {
        ObjectNode n = Json.object();
        n.putArray("uuidList");
        n.put("errorcode", e.errorCode());
        if (e.errorCode() != 401) {
            n.put("cserrorcode", e.csErrorCode());
        }
        n.put("errortext", e.getMessage());
        return new Answer(e.errorCode(), envelope(command, n));
    }

    private static ObjectNode envelope(String command, ObjectNode inner) {
        ObjectNode n = Json.object();
        n.set((command.isEmpty() ? "error" : command) + "response", inner);
        return n;
    }

    private static void decodeInto(String encoded, Map<String, String> into) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.putIfAbsent(k, v);
        }
    }
}
