package io.migratekit.vmasim;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The copy engine's HTTP client towards the OMA: {@code GET /api/v1/replications/changeid} before a
 * copy and {@code POST /api/v1/replications/{job_id}/changeid} after each disk.
 *
 * <p>Owns request building (bearer token when configured), retries (I/O errors, 5xx and 429, with
 * linear backoff), a cap on requests in flight across all jobs, and turning outcomes into a value
 * or an error message. It never throws into the engine and never blocks a thread: everything is
 * asynchronous on the given executor. It does not decide what an outcome means for a job.
 */
final class OmaCallbacks {

    /** The previous change id of a disk ("" when none or when the lookup failed) and any error. */
    record Lookup(String changeId, String error) {
    }

    private record Outcome(int status, String body, String error, boolean retryable) {
    }

    private final HttpClient client;
    private final Executor executor;
    private final SimulatorConfig config;
    private final int maxInFlight;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    OmaCallbacks(SimulatorConfig config, Executor executor) {
        this.config = config;
        this.executor = executor;
        this.maxInFlight = config.callbackConcurrency();
        this.client = HttpClient.newBuilder()
                .executor(executor)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    /** Asks the OMA for a disk's previous change id. */
    CompletableFuture<Lookup> previousChangeId(String omaBase, String vmPath, String diskId) {
        String url = apiBase(omaBase) + "/replications/changeid?vm_path=" + encode(vmPath) + "&disk_id=" + encode(diskId);
        HttpRequest request;
        try {
            request = request(url).GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Lookup("", "change id lookup for " + diskId + ": bad OMA URL"));
        }
        return attempt(request, 1).thenApply(o -> {
            if (o.error() != null) {
                return new Lookup("", "change id lookup for " + diskId + " failed: " + o.error());
            }
            try {
                JsonNode body = Json.MAPPER.readTree(o.body());
                JsonNode id = body == null ? null : body.get("change_id");
                return new Lookup(id != null && id.isString() ? id.stringValue() : "", null);
            } catch (JacksonException e) {
                return new Lookup("", "change id lookup for " + diskId + ": unreadable response");
            }
        });
    }

    /** Reports a disk's new change id; completes with null on success or with an error message. */
    CompletableFuture<String> recordChangeId(String omaBase, String jobId, String diskId, String changeId, String previous) {
        ObjectNode body = Json.object();
        body.put("change_id", changeId);
        body.put("disk_id", diskId);
        body.put("previous_change_id", previous == null ? "" : previous);
        String url = apiBase(omaBase) + "/replications/" + encode(jobId).replace("+", "%20") + "/changeid";
        HttpRequest request;
        try {
            request = request(url)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)))
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture("change id callback for " + diskId + ": bad OMA URL");
        }
        return attempt(request, 1).thenApply(o ->
                o.error() == null ? null : "change id callback for " + diskId + " failed: " + o.error());
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.callbackTimeout().isZero() ? Duration.ofSeconds(10) : config.callbackTimeout())
                .header("Accept", "application/json");
        if (config.omaToken() != null && !config.omaToken().isBlank()) {
            b.header("Authorization", "Bearer " + config.omaToken());
        }
        return b;
    }

    private CompletableFuture<Outcome> attempt(HttpRequest request, int attempt) {
        return limited(() -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                        return new Outcome(-1, "", cause.getClass().getSimpleName() + describe(cause), true);
                    }
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        return new Outcome(status, response.body(), null, false);
                    }
                    boolean retryable = status >= 500 || status == 429;
                    return new Outcome(status, response.body(), "HTTP " + status + " " + firstLine(response.body()), retryable);
                })
                .thenCompose(o -> {
                    if (o.error() == null || !o.retryable() || attempt >= config.callbackAttempts()) {
                        return CompletableFuture.completedFuture(o);
                    }
                    long delayMs = config.callbackRetryBackoff().toMillis() * attempt;
                    Executor delayed = CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS, executor);
                    return CompletableFuture.supplyAsync(() -> null, delayed).thenCompose(x -> attempt(request, attempt + 1));
                });
    }

    private <T> CompletableFuture<T> limited(Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable run = () -> {
            CompletableFuture<T> f;
            try {
                f = task.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((value, failure) -> {
                release();
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        };
        boolean runNow;
        synchronized (this) {
            runNow = inFlight < maxInFlight;
            if (runNow) {
                inFlight++;
            } else {
                waiting.add(run);
            }
        }
        if (runNow) {
            run.run();
        }
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            try {
                executor.execute(next);
            } catch (RuntimeException rejected) {
                synchronized (this) {
                    inFlight--;
                }
            }
        }
    }

    private static String apiBase(String omaBase) {
        String base = omaBase.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base.endsWith("/api/v1") ? base : base + "/api/v1";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? "" : ": " + t.getMessage();
    }

    private static String firstLine(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
