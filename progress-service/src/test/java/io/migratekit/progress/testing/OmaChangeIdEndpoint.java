package io.migratekit.progress.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.schemas.EventIds;
import io.migratekit.schemas.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for job-intake's change-id endpoints in integration tests and the benchmark: answers the copy engine's
 * {@code GET /api/v1/replications/changeid} with no previous id (a full copy), and turns each
 * {@code POST /api/v1/replications/{job_id}/changeid} into a {@code ChangeIdRecorded} on Kafka, as
 * the real endpoint does, answering 200 once the broker acknowledged it.
 */
public final class OmaChangeIdEndpoint implements AutoCloseable {

    /** What the endpoint needs to know of a job to write its events. */
    public record JobRef(String vmwareVmId, String contextId, String correlationId) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Producer<String, SpecificRecord> producer;
    private final Map<String, JobRef> jobs = new ConcurrentHashMap<>();

    public OmaChangeIdEndpoint(Producer<String, SpecificRecord> producer) throws IOException {
        this.producer = producer;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(executor);
        server.createContext("/api/v1/replications/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void register(String jobId, JobRef job) {
        jobs.put(jobId, job);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if ("GET".equals(exchange.getRequestMethod()) && path.equals("/api/v1/replications/changeid")) {
                respond(exchange, 200, "{\"vm_path\":\"\",\"disk_id\":\"\",\"change_id\":\"\",\"message\":\"no previous change id\"}");
                return;
            }
            String[] parts = path.split("/");
            if (!"POST".equals(exchange.getRequestMethod()) || parts.length != 6 || !"changeid".equals(parts[5])) {
                respond(exchange, 404, "not found");
                return;
            }
            String jobId = parts[4];
            JobRef job = jobs.get(jobId);
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String changeId = body.path("change_id").asString("");
            String diskId = body.path("disk_id").asString("");
            if (changeId.isBlank()) {
                respond(exchange, 400, "change_id is required");
                return;
            }
            if (job == null) {
                respond(exchange, 404, "unknown job " + jobId);
                return;
            }
            String previous = body.path("previous_change_id").asString("");
            ChangeIdRecorded event = ChangeIdRecorded.newBuilder().setEventId(EventIds.newEventId())
                    .setOccurredAt(Instant.now()).setCorrelationId(job.correlationId())
                    .setVmwareVmId(job.vmwareVmId()).setJobId(jobId).setContextId(job.contextId())
                    .setDiskId(diskId).setChangeId(changeId).setPreviousChangeId(previous.isBlank() ? null : previous)
                    .build();
            producer.send(new ProducerRecord<>(Topics.CHANGE_ID_RECORDED.name(), job.vmwareVmId(), event))
                    .get(10, TimeUnit.SECONDS);
            respond(exchange, 200, "{\"job_id\":\"" + jobId + "\",\"disk_id\":\"" + diskId + "\",\"change_id\":\""
                    + changeId + "\",\"message\":\"recorded\"}");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 500, e.toString());
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
