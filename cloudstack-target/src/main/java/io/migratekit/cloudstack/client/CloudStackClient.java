package io.migratekit.cloudstack.client;

import io.migratekit.cloudstack.client.CloudStackException.Kind;
import io.migratekit.cloudstack.client.CloudStackModel.Account;
import io.migratekit.cloudstack.client.CloudStackModel.AsyncJob;
import io.migratekit.cloudstack.client.CloudStackModel.DiskOffering;
import io.migratekit.cloudstack.client.CloudStackModel.JobStarted;
import io.migratekit.cloudstack.client.CloudStackModel.Network;
import io.migratekit.cloudstack.client.CloudStackModel.ServiceOffering;
import io.migratekit.cloudstack.client.CloudStackModel.Snapshot;
import io.migratekit.cloudstack.client.CloudStackModel.Template;
import io.migratekit.cloudstack.client.CloudStackModel.VirtualMachine;
import io.migratekit.cloudstack.client.CloudStackModel.Volume;
import io.migratekit.cloudstack.client.CloudStackModel.Zone;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our client of the CloudStack API (see {@code cloudstack-api.md}): signed POST requests
 * ({@code signatureversion=3}, {@code expires} a few minutes ahead), typed answers for the commands
 * the appliance uses, errors as {@link CloudStackException} carrying CloudStack's errorcode,
 * cserrorcode and errortext, a timeout per call, and bounded waits on async jobs with backoff.
 *
 * <p>Owns one {@link HttpClient} and the signing key; logs nothing and never puts the key or a
 * signature into an exception. It does not remember jobs: making a wait survive a restart is the
 * caller's part (record the job id before {@link #awaitJob}). Thread-safe.
 */
public class CloudStackClient {

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.LOWER_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /**
     * Timing of calls and job waits.
     *
     * @param callTimeout  one HTTP call, connect to last byte
     * @param firstPoll    the first pause between two {@code queryAsyncJobResult}
     * @param maxPoll      the pause doubles up to this
     * @param jobBound     how long a job is waited on before {@link Kind#JOB_TIMEOUT}
     * @param expiresAhead how far ahead {@code expires} is set (CloudStack refuses more than 15 minutes)
     */
    public record Timing(Duration callTimeout, Duration firstPoll, Duration maxPoll, Duration jobBound,
            Duration expiresAhead) {

        public Timing {
            Objects.requireNonNull(callTimeout, "callTimeout");
            Objects.requireNonNull(firstPoll, "firstPoll");
            Objects.requireNonNull(maxPoll, "maxPoll");
            Objects.requireNonNull(jobBound, "jobBound");
            Objects.requireNonNull(expiresAhead, "expiresAhead");
            if (callTimeout.isNegative() || callTimeout.isZero() || firstPoll.isNegative() || firstPoll.isZero()
                    || maxPoll.compareTo(firstPoll) < 0 || jobBound.isNegative()) {
                throw new IllegalArgumentException("CloudStack timing out of range: " + callTimeout + ", "
                        + firstPoll + ".." + maxPoll + ", bound " + jobBound);
            }
            if (expiresAhead.compareTo(Duration.ofMinutes(1)) < 0 || expiresAhead.compareTo(Duration.ofMinutes(15)) > 0) {
                throw new IllegalArgumentException("expires must be 1 to 15 minutes ahead, was " + expiresAhead);
            }
        }

        /** 30 s per call; polls after 1 s rising to 15 s; jobs waited on for 300 s; expires 5 minutes ahead. */
        public static Timing defaults() {
            return new Timing(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(15),
                    Duration.ofSeconds(300), Duration.ofMinutes(5));
        }
    }

    private final URI endpoint;
    private final String apiKey;
    private final CloudStackSigner signer;
    private final Timing timing;
    private final Clock clock;
    private final HttpClient http;

    /**
     * @param apiUrl    CloudStack's API, e.g. {@code https://cloud.example/client/api}, or its base URL
     *                  (then {@code /client/api} is appended)
     * @param apiKey    the API key
     * @param secretKey the secret key (kept only inside the signer)
     */
    public CloudStackClient(String apiUrl, String apiKey, byte[] secretKey, Timing timing, Clock clock) {
        this.endpoint = endpoint(Objects.requireNonNull(apiUrl, "apiUrl"));
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.signer = new CloudStackSigner(secretKey);
        this.timing = Objects.requireNonNull(timing, "timing");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder().connectTimeout(timing.callTimeout()).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public Timing timing() {
        return timing;
    }

    // ---- lists

    public List<Zone> listZones() {
        return list("listZones", params("available", "true"), "zone", Zone.class);
    }

    public List<ServiceOffering> listServiceOfferings() {
        return list("listServiceOfferings", params(), "serviceoffering", ServiceOffering.class);
    }

    public List<DiskOffering> listDiskOfferings() {
        return list("listDiskOfferings", params(), "diskoffering", DiskOffering.class);
    }

    public List<Template> listTemplates() {
        return list("listTemplates", params("templatefilter", "executable"), "template", Template.class);
    }

    public List<Network> listNetworks() {
        return list("listNetworks", params("listall", "true"), "network", Network.class);
    }

    public List<Account> listAccounts() {
        return list("listAccounts", params(), "account", Account.class);
    }

    /** {@code listVolumes} with these filters (e.g. {@code id}, {@code name}, {@code virtualmachineid}, {@code type}). */
    public List<Volume> listVolumes(Map<String, String> filters) {
        return list("listVolumes", withListAll(filters), "volume", Volume.class);
    }

    /** The volume with this id; empty when CloudStack does not know it. */
    public Optional<Volume> volume(String volumeId) {
        return byId(() -> listVolumes(params("id", volumeId)), v -> volumeId.equals(v.id()));
    }

    /** {@code listVirtualMachines} with these filters (e.g. {@code id}, {@code name}). */
    public List<VirtualMachine> listVirtualMachines(Map<String, String> filters) {
        return list("listVirtualMachines", withListAll(filters), "virtualmachine", VirtualMachine.class);
    }

    /** The VM with this id; empty when CloudStack does not know it. */
    public Optional<VirtualMachine> virtualMachine(String vmId) {
        return byId(() -> listVirtualMachines(params("id", vmId)), vm -> vmId.equals(vm.id()));
    }

    /** {@code listSnapshots} with these filters (e.g. {@code volumeid}, {@code name}). */
    public List<Snapshot> listSnapshots(Map<String, String> filters) {
        return list("listSnapshots", withListAll(filters), "snapshot", Snapshot.class);
    }

    /** The snapshot with this id; empty when CloudStack does not know it. */
    public Optional<Snapshot> snapshot(String snapshotId) {
        return byId(() -> listSnapshots(params("id", snapshotId)), s -> snapshotId.equals(s.id()));
    }

    // ---- async commands: each answers the job to wait on

    /** A new empty volume of {@code sizeGb} GiB from a custom-size disk offering. */
    public JobStarted createVolume(String name, long sizeGb, String diskOfferingId, String zoneId) {
        return start("createVolume", params("name", name, "size", Long.toString(sizeGb), "diskofferingid",
                diskOfferingId, "zoneid", zoneId));
    }

    /** A new volume cloned from a snapshot. */
    public JobStarted createVolumeFromSnapshot(String name, String snapshotId, String zoneId) {
        return start("createVolume", params("name", name, "snapshotid", snapshotId, "zoneid", zoneId));
    }

    /** Attaches a volume; {@code deviceId} 0 makes it the root disk, null lets CloudStack choose. */
    public JobStarted attachVolume(String volumeId, String vmId, Long deviceId) {
        Map<String, String> params = params("id", volumeId, "virtualmachineid", vmId);
        if (deviceId != null) {
            params.put("deviceid", deviceId.toString());
        }
        return start("attachVolume", params);
    }

    public JobStarted detachVolume(String volumeId) {
        return start("detachVolume", params("id", volumeId));
    }

    public JobStarted createSnapshot(String volumeId, String name) {
        return start("createSnapshot", params("volumeid", volumeId, "name", name));
    }

    public JobStarted deleteSnapshot(String snapshotId) {
        return start("deleteSnapshot", params("id", snapshotId));
    }

    public JobStarted deployVirtualMachine(DeployRequest request) {
        Map<String, String> params = params("serviceofferingid", request.serviceOfferingId(), "templateid",
                request.templateId(), "zoneid", request.zoneId(), "name", request.name(), "displayname",
                request.displayName(), "networkids", String.join(",", request.networkIds()), "startvm", "false");
        if (request.cpuNumber() != null) {
            params.put("details[0].cpuNumber", request.cpuNumber().toString());
        }
        if (request.memoryMb() != null) {
            params.put("details[0].memory", request.memoryMb().toString());
        }
        return start("deployVirtualMachine", params);
    }

    public JobStarted startVirtualMachine(String vmId) {
        return start("startVirtualMachine", params("id", vmId));
    }

    public JobStarted stopVirtualMachine(String vmId, boolean forced) {
        return start("stopVirtualMachine", params("id", vmId, "forced", Boolean.toString(forced)));
    }

    public JobStarted destroyVirtualMachine(String vmId, boolean expunge) {
        return start("destroyVirtualMachine", params("id", vmId, "expunge", Boolean.toString(expunge)));
    }

    // ---- sync commands

    /** {@code deleteVolume} (synchronous in CloudStack). */
    public void deleteVolume(String volumeId) {
        call("deleteVolume", params("id", volumeId));
    }

    /**
     * A VM to deploy stopped, from a template (whose ROOT the appliance replaces).
     *
     * @param cpuNumber vCPUs for a custom service offering, or null
     * @param memoryMb  memory for a custom service offering, or null
     */
    public record DeployRequest(String serviceOfferingId, String templateId, String zoneId, String name,
            String displayName, List<String> networkIds, Integer cpuNumber, Integer memoryMb) {

        public DeployRequest {
            networkIds = List.copyOf(networkIds);
        }
    }

    // ---- async jobs

    /** One {@code queryAsyncJobResult}. */
    public AsyncJob queryAsyncJobResult(String jobId) {
        JsonNode answer = call("queryAsyncJobResult", params("jobid", jobId));
        JsonNode status = answer.get("jobstatus");
        if (status == null || !status.isNumber()) {
            throw new CloudStackException(Kind.BAD_RESPONSE, "queryAsyncJobResult", 0, 0,
                    "the answer has no numeric jobstatus: " + abbreviate(answer.toString()), jobId, null);
        }
        return new AsyncJob(jobId, status.asInt(), answer.get("jobresult"));
    }

    /**
     * Waits for a job to end, polling with backoff ({@link Timing#firstPoll()} doubling up to
     * {@link Timing#maxPoll()}) for at most {@link Timing#jobBound()}. Answers the job's
     * {@code jobresult}; a failed job throws {@link Kind#JOB_FAILED} with its errorcode and errortext, a
     * job still pending at the bound {@link Kind#JOB_TIMEOUT}.
     *
     * @param command the command that started the job, for messages
     * @throws InterruptedException when the waiting thread is interrupted (the job goes on)
     */
    public JsonNode awaitJob(String command, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + timing.jobBound().toNanos();
        Duration pause = timing.firstPoll();
        while (true) {
            AsyncJob job = queryAsyncJobResult(jobId);
            switch (job.jobStatus()) {
                case AsyncJob.SUCCEEDED:
                    return job.jobResult();
                case AsyncJob.FAILED:
                    JsonNode error = job.jobResult();
                    throw new CloudStackException(Kind.JOB_FAILED, command, intField(error, "errorcode"),
                            intField(error, "cserrorcode"), textField(error, "errortext", "no errortext given"),
                            jobId, null);
                case AsyncJob.PENDING:
                    break;
                default:
                    throw new CloudStackException(Kind.BAD_RESPONSE, command, 0, 0,
                            "unknown jobstatus " + job.jobStatus(), jobId, null);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new CloudStackException(Kind.JOB_TIMEOUT, command, 0, 0,
                        "still pending after " + timing.jobBound().toSeconds() + " s", jobId, null);
            }
            Thread.sleep(Math.min(pause.toMillis(), Math.max(1, left / 1_000_000)));
            pause = pause.multipliedBy(2).compareTo(timing.maxPoll()) > 0 ? timing.maxPoll() : pause.multipliedBy(2);
        }
    }

    /** Waits for a job whose result holds one object under {@code field} (e.g. {@code volume}). */
    public <T> T awaitObject(String command, String jobId, String field, Class<T> type) throws InterruptedException {
        return objectOf(command, jobId, awaitJob(command, jobId), field, type);
    }

    /** The object under {@code field} of a succeeded job's result. */
    public static <T> T objectOf(String command, String jobId, JsonNode result, String field, Class<T> type) {
        JsonNode object = result == null ? null : result.get(field);
        if (object == null || !object.isObject()) {
            throw new CloudStackException(Kind.BAD_RESPONSE, command, 0, 0, "the job result has no " + field + ": "
                    + abbreviate(String.valueOf(result)), jobId, null);
        }
        return convert(command, object, type);
    }

    public JobStarted start(String command, Map<String, String> params) {
        JsonNode answer = call(command, params);
        String jobId = textField(answer, "jobid", null);
        if (jobId == null || jobId.isBlank()) {
            throw new CloudStackException(Kind.BAD_RESPONSE, command, 0, 0,
                    "an async command answered no jobid: " + abbreviate(answer.toString()), null, null);
        }
        return new JobStarted(jobId, textField(answer, "id", null));
    }

    // ---- the wire

    /**
     * Sends one signed POST and answers the object inside {@code <command>response}.
     *
     * @throws CloudStackException on an error answer, a timeout, no connection or unreadable JSON
     */
    public JsonNode call(String command, Map<String, String> commandParams) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("command", command);
        params.put("response", "json");
        params.put("apikey", apiKey);
        params.putAll(commandParams);
        params.put("signatureversion", "3");
        params.put("expires", DateTimeFormatter.ISO_INSTANT.format(
                Instant.now(clock).plus(timing.expiresAhead()).truncatedTo(ChronoUnit.SECONDS)));
        params.put("signature", signer.sign(params));
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timing.callTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(params), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new CloudStackException(Kind.UNREACHABLE, command, 0, 0, "CloudStack unreachable at "
                    + endpoint.getScheme() + "://" + endpoint.getAuthority(), null, e);
        } catch (HttpTimeoutException e) {
            throw new CloudStackException(Kind.TIMEOUT, command, 0, 0, "no answer within "
                    + timing.callTimeout().toMillis() + " ms", null, e);
        } catch (IOException e) {
            throw new CloudStackException(Kind.UNREACHABLE, command, 0, 0, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudStackException(Kind.UNREACHABLE, command, 0, 0, "interrupted while calling CloudStack",
                    null, e);
        }
        JsonNode inner = inner(command, response);
        if (response.statusCode() < 200 || response.statusCode() >= 300 || inner.has("errorcode")) {
            throw new CloudStackException(Kind.API_ERROR, command,
                    inner.has("errorcode") ? intField(inner, "errorcode") : response.statusCode(),
                    intField(inner, "cserrorcode"),
                    textField(inner, "errortext", "HTTP " + response.statusCode() + " without errortext"), null, null);
        }
        return inner;
    }

    private static JsonNode inner(String command, HttpResponse<String> response) {
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new CloudStackException(Kind.BAD_RESPONSE, command, response.statusCode(), 0, "HTTP "
                    + response.statusCode() + " with unreadable JSON: " + abbreviate(response.body()), null, e);
        }
        if (root == null || !root.isObject()) {
            throw new CloudStackException(Kind.BAD_RESPONSE, command, response.statusCode(), 0, "HTTP "
                    + response.statusCode() + " without a JSON object: " + abbreviate(response.body()), null, null);
        }
        JsonNode inner = root.get(command.toLowerCase(Locale.ROOT) + "response");
        if (inner == null && root.size() == 1) {
            // CloudStack names some answers differently (e.g. "errorresponse"); there is only one anyway
            inner = root.values().iterator().next();
        }
        if (inner == null || !inner.isObject()) {
            throw new CloudStackException(Kind.BAD_RESPONSE, command, response.statusCode(), 0, "HTTP "
                    + response.statusCode() + " without " + command.toLowerCase(Locale.ROOT) + "response: "
                    + abbreviate(response.body()), null, null);
        }
        return inner;
    }

    private <T> List<T> list(String command, Map<String, String> params, String field, Class<T> type) {
        JsonNode answer = call(command, params);
        JsonNode items = answer.get(field);
        if (items == null || items.isNull()) {
            // CloudStack answers an empty object when nothing matches
            return List.of();
        }
        if (!items.isArray()) {
            throw new CloudStackException(Kind.BAD_RESPONSE, command, 0, 0, field + " is not a list: "
                    + abbreviate(answer.toString()), null, null);
        }
        List<T> result = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            result.add(convert(command, item, type));
        }
        return List.copyOf(result);
    }

    private static <T> T convert(String command, JsonNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (JacksonException e) {
            throw new CloudStackException(Kind.BAD_RESPONSE, command, 0, 0, "cannot read a " + type.getSimpleName()
                    + ": " + e.getOriginalMessage(), null, e);
        }
    }

    /**
     * One object listed by id. CloudStack answers a list by an id it does not know either with nothing
     * or with 431 ("entity does not exist"): both are empty.
     */
    private static <T> Optional<T> byId(Supplier<List<T>> list, Predicate<T> matches) {
        try {
            return list.get().stream().filter(matches).findFirst();
        } catch (CloudStackException e) {
            if (e.kind() == Kind.API_ERROR && e.errorCode() == 431) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Map<String, String> withListAll(Map<String, String> filters) {
        Map<String, String> params = new LinkedHashMap<>(filters);
        params.putIfAbsent("listall", "true");
        return params;
    }

    /** Parameters in pairs (name, value); names of plain parameters are lower case. */
    static Map<String, String> params(String... pairs) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.put(pairs[i], Objects.requireNonNull(pairs[i + 1], pairs[i]));
        }
        return params;
    }

    private static String form(Map<String, String> params) {
        StringJoiner body = new StringJoiner("&");
        params.forEach((name, value) -> body.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    private static int intField(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isNumber() ? value.asInt()
                : value != null && value.isString() && value.asString().matches("\\d{1,9}") ? Integer.parseInt(value.asString())
                : 0;
    }

    private static String textField(JsonNode node, String field, String otherwise) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? otherwise : value.asString();
    }

    private static URI endpoint(String apiUrl) {
        String trimmed = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        return URI.create(trimmed.endsWith("/client/api") ? trimmed : trimmed + "/client/api");
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        return trimmed.length() > 300 ? trimmed.substring(0, 300) + "…" : trimmed;
    }
}
