package io.migratekit.vma;

import io.migratekit.vma.VmaDtos.DiscoverRequest;
import io.migratekit.vma.VmaDtos.DiscoverResponse;
import io.migratekit.vma.VmaDtos.PowerRequest;
import io.migratekit.vma.VmaDtos.PowerResponse;
import io.migratekit.vma.VmaDtos.PowerState;
import io.migratekit.vma.VmaDtos.Progress;
import io.migratekit.vma.VmaDtos.ReplicateRequest;
import io.migratekit.vma.VmaDtos.ReplicateResponse;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our HTTP client of the VMA (see {@code docs/vma-api.md}): non-blocking calls with a deadline each,
 * failures classified as {@link VmaException}. Owns one {@link HttpClient}; holds no credentials
 * (callers pass the login of the vCenter they address) and logs nothing.
 */
public class VmaClient {

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final URI baseUrl;
    private final HttpClient http;

    /**
     * @param baseUrl  the VMA, e.g. {@code http://127.0.0.1:8081}
     * @param executor runs response handling; null for the HTTP client's default
     */
    public VmaClient(String baseUrl, Executor executor) {
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1);
        if (executor != null) {
            builder.executor(executor);
        }
        this.http = builder.build();
    }

    public String baseUrl() {
        return baseUrl.toString();
    }

    /** {@code POST /api/v1/discover}; {@code filter} is a substring match on names. */
    public CompletableFuture<DiscoverResponse> discover(VcenterCredentials.Login login, String datacenter,
            String filter, Duration deadline) {
        DiscoverRequest body = new DiscoverRequest(login.vcenterHost(), login.username(), login.password(),
                datacenter, filter);
        return post("api/v1/discover", body, deadline).thenApply(r -> read(r, DiscoverResponse.class));
    }

    /** {@code POST /api/v1/replicate}. */
    public CompletableFuture<ReplicateResponse> replicate(ReplicateRequest request, Duration deadline) {
        return post("api/v1/replicate", request, deadline).thenApply(r -> read(r, ReplicateResponse.class));
    }

    /** {@code GET /api/v1/progress/{job_id}}; empty when the VMA answers 404 (job not known yet, or any more). */
    public CompletableFuture<Optional<Progress>> progress(String jobId, Duration deadline) {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("api/v1/progress/" + pathSegment(jobId)))
                .timeout(deadline).GET().build();
        return send(request, true).thenApply(r -> r.statusCode() == 404
                ? Optional.<Progress>empty()
                : Optional.of(read(r, Progress.class)));
    }

    /** {@code POST /api/v1/vm/{vm_id}/power-off}. */
    public CompletableFuture<PowerResponse> powerOff(String vmId, VcenterCredentials.Login login, boolean force,
            Duration deadline) {
        return power(vmId, "power-off", login, force, deadline);
    }

    /** {@code POST /api/v1/vm/{vm_id}/power-on}. */
    public CompletableFuture<PowerResponse> powerOn(String vmId, VcenterCredentials.Login login, Duration deadline) {
        return power(vmId, "power-on", login, false, deadline);
    }

    /** {@code GET /api/v1/vm/{vm_id}/power-state}. */
    public CompletableFuture<PowerState> powerState(String vmId, VcenterCredentials.Login login, Duration deadline) {
        String query = "?vcenter=" + encode(login.vcenterHost()) + "&username=" + encode(login.username())
                + "&password=" + encode(login.password());
        HttpRequest request = HttpRequest.newBuilder(
                baseUrl.resolve("api/v1/vm/" + pathSegment(vmId) + "/power-state" + query)).timeout(deadline).GET().build();
        return send(request, false).thenApply(r -> read(r, PowerState.class));
    }

    /** {@code GET /api/v1/health}: completes normally when the VMA answers 2xx. */
    public CompletableFuture<Void> health(Duration deadline) {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("api/v1/health")).timeout(deadline).GET().build();
        return send(request, false).thenApply(r -> null);
    }

    private CompletableFuture<PowerResponse> power(String vmId, String operation, VcenterCredentials.Login login,
            boolean force, Duration deadline) {
        PowerRequest body = new PowerRequest(login.vcenterHost(), login.username(), login.password(), force, 300);
        return post("api/v1/vm/" + pathSegment(vmId) + "/" + operation, body, deadline)
                .thenApply(r -> read(r, PowerResponse.class));
    }

    private CompletableFuture<HttpResponse<String>> post(String path, Object body, Duration deadline) {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(deadline)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return send(request, false);
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest request, boolean notFoundIsAnswer) {
        CompletableFuture<HttpResponse<String>> exchange =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        // The request's own timeout stops at the response headers; the deadline covers the body too.
        CompletableFuture<HttpResponse<String>> answer = exchange.copy()
                .orTimeout(request.timeout().orElseThrow().toMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((response, failure) -> {
            if (failure != null) {
                exchange.cancel(true);
            }
        });
        return answer.handle((response, failure) -> {
            if (failure != null) {
                throw classify(request, failure);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300 || notFoundIsAnswer && status == 404) {
                return response;
            }
            throw new VmaException(VmaException.Kind.HTTP_ERROR, status, "VMA " + request.method() + " "
                    + request.uri().getPath() + " answered HTTP " + status + ": " + abbreviate(response.body()),
                    null);
        });
    }

    private static VmaException classify(HttpRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String what = "VMA " + request.method() + " " + request.uri().getPath();
        if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException
                || cause instanceof UnresolvedAddressException || cause.getCause() instanceof ConnectException) {
            return new VmaException(VmaException.Kind.UNREACHABLE, 0, what + ": VMA unreachable at "
                    + request.uri().getScheme() + "://" + request.uri().getAuthority(), cause);
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return new VmaException(VmaException.Kind.TIMEOUT, 0, what + ": no answer within "
                    + request.timeout().map(Duration::toString).orElse("the deadline"), cause);
        }
        // Connected, then the exchange broke (reset, closed before the answer): the VMA may have acted.
        return new VmaException(VmaException.Kind.CONNECTION_LOST, 0, what + ": connection lost before the answer: "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage()), cause);
    }

    private static <T> T read(HttpResponse<String> response, Class<T> type) {
        try {
            T value = JSON.readValue(response.body(), type);
            if (value == null) {
                throw new VmaException(VmaException.Kind.BAD_RESPONSE, response.statusCode(),
                        "VMA answered an empty body to " + response.uri().getPath(), null);
            }
            return value;
        } catch (tools.jackson.core.JacksonException e) {
            throw new VmaException(VmaException.Kind.BAD_RESPONSE, response.statusCode(),
                    "VMA answered unreadable JSON to " + response.uri().getPath() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String trimmed = body.strip();
        return trimmed.length() > 300 ? trimmed.substring(0, 300) + "…" : trimmed;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /** Form encoding writes a space as '+', which a path keeps as a literal '+'. */
    private static String pathSegment(String value) {
        return encode(value).replace("+", "%20");
    }
}
