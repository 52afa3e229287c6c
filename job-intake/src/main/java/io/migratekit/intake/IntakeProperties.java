package io.migratekit.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * job-intake's own settings ({@code migratekit.intake.*}, environment {@code MIGRATEKIT_INTAKE_*}):
 * how long a synchronous request waits for its outcome, how long a publish may take, the body
 * size limit, the page sizes of the lists, the bounds of the job event streams and how long a
 * change-id callback waits for a job that is not known yet.
 */
@ConfigurationProperties("migratekit.intake")
public class IntakeProperties {

    /** How long POST /api/v1/replications waits for the outcome before answering 202. */
    private Duration outcomeTimeout = Duration.ofSeconds(60);
    /** How long a publish may take before the API answers 503. */
    private Duration publishTimeout = Duration.ofSeconds(5);
    /** Largest accepted request body. */
    private int maxBodyBytes = 1024 * 1024;
    private int defaultPageSize = 50;
    private int maxPageSize = 200;
    /** Client id of the replication client; defaults to the service name. */
    private String clientId;
    /** How long a change-id callback waits for its job (or disk) to become known before answering 404. */
    private Duration changeIdJobWait = Duration.ofSeconds(15);
    /** Job event streams open at once; one more is answered 503. */
    private int maxEventStreams = 200;
    /** Longest life of one event stream. */
    private Duration eventStreamTimeout = Duration.ofHours(1);
    /** How long opening an event stream waits for a job that is not known yet before answering 404. */
    private Duration eventStreamJobWait = Duration.ofSeconds(5);
    /** Events that may wait for one slow stream client before it is disconnected. */
    private int eventStreamBuffer = 1000;
    /** Threads that write the events to the stream clients. */
    private int eventSenderThreads = 4;
    /** How often a quiet event stream gets a keep-alive comment (which also finds clients that went away). */
    private Duration eventStreamHeartbeat = Duration.ofSeconds(15);
    /** How long reading a job's past events may take. */
    private Duration eventReplayTimeout = Duration.ofSeconds(10);
    /** How many recently created jobs job-intake remembers from JobCreated. */
    private int recentJobs = 10_000;
    /** Job events the console's stream keeps in memory for clients that reconnect with Last-Event-ID. */
    private int consoleEventMemory = 1000;
    /** How long a stream ticket (the one-time credential of an EventSource) may wait to be used. */
    private Duration streamTicketTtl = Duration.ofSeconds(30);

    public Duration getOutcomeTimeout() {
        return outcomeTimeout;
    }

    public void setOutcomeTimeout(Duration outcomeTimeout) {
        this.outcomeTimeout = outcomeTimeout;
    }

    public Duration getPublishTimeout() {
        return publishTimeout;
    }

    public void setPublishTimeout(Duration publishTimeout) {
        this.publishTimeout = publishTimeout;
    }

    public int getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public int getDefaultPageSize() {
        return defaultPageSize;
    }

    public void setDefaultPageSize(int defaultPageSize) {
        this.defaultPageSize = defaultPageSize;
    }

    public int getMaxPageSize() {
        return maxPageSize;
    }

    public void setMaxPageSize(int maxPageSize) {
        this.maxPageSize = maxPageSize;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public Duration getChangeIdJobWait() {
        return changeIdJobWait;
    }

    public void setChangeIdJobWait(Duration changeIdJobWait) {
        this.changeIdJobWait = changeIdJobWait;
    }

    public int getMaxEventStreams() {
        return maxEventStreams;
    }

    public void setMaxEventStreams(int maxEventStreams) {
        this.maxEventStreams = maxEventStreams;
    }

    public Duration getEventStreamTimeout() {
        return eventStreamTimeout;
    }

    public void setEventStreamTimeout(Duration eventStreamTimeout) {
        this.eventStreamTimeout = eventStreamTimeout;
    }

    public Duration getEventStreamJobWait() {
        return eventStreamJobWait;
    }

    public void setEventStreamJobWait(Duration eventStreamJobWait) {
        this.eventStreamJobWait = eventStreamJobWait;
    }

    public int getEventStreamBuffer() {
        return eventStreamBuffer;
    }

    public void setEventStreamBuffer(int eventStreamBuffer) {
        this.eventStreamBuffer = eventStreamBuffer;
    }

    public int getEventSenderThreads() {
        return eventSenderThreads;
    }

    public void setEventSenderThreads(int eventSenderThreads) {
        this.eventSenderThreads = eventSenderThreads;
    }

    public Duration getEventReplayTimeout() {
        return eventReplayTimeout;
    }

    public void setEventReplayTimeout(Duration eventReplayTimeout) {
        this.eventReplayTimeout = eventReplayTimeout;
    }

    public int getRecentJobs() {
        return recentJobs;
    }

    public void setRecentJobs(int recentJobs) {
        this.recentJobs = recentJobs;
    }

    public Duration getEventStreamHeartbeat() {
        return eventStreamHeartbeat;
    }

    public void setEventStreamHeartbeat(Duration eventStreamHeartbeat) {
        this.eventStreamHeartbeat = eventStreamHeartbeat;
    }

    public int getConsoleEventMemory() {
        return consoleEventMemory;
    }

    public void setConsoleEventMemory(int consoleEventMemory) {
        this.consoleEventMemory = consoleEventMemory;
    }

    public Duration getStreamTicketTtl() {
        return streamTicketTtl;
    }

    public void setStreamTicketTtl(Duration streamTicketTtl) {
        this.streamTicketTtl = streamTicketTtl;
    }
}
