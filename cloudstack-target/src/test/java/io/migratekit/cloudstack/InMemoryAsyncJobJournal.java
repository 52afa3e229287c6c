package io.migratekit.cloudstack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link AsyncJobJournal} in memory, for tests: keeps the open jobs and a log of every record and end. */
public final class InMemoryAsyncJobJournal implements AsyncJobJournal {

    private final Map<String, String> open = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private Runnable onRecorded = () -> { };

    @Override
    public synchronized Optional<String> recordedJob(String operationKey) {
        return Optional.ofNullable(open.get(operationKey));
    }

    @Override
    public synchronized void recorded(String operationKey, String command, String jobId) {
        open.put(operationKey, jobId);
        log.add("recorded " + operationKey + " " + command + " " + jobId);
        onRecorded.run();
    }

    @Override
    public synchronized void ended(String operationKey) {
        open.remove(operationKey);
        log.add("ended " + operationKey);
    }

    /** Runs after every record (e.g. to see what had been sent to CloudStack by then). */
    synchronized void onRecorded(Runnable hook) {
        this.onRecorded = hook;
    }

    public synchronized Map<String, String> open() {
        return Map.copyOf(open);
    }

    synchronized List<String> log() {
        return List.copyOf(log);
    }
}
