package io.migratekit.progress.testing;

import io.migratekit.progress.follow.PollOutcome;
import io.migratekit.progress.poll.VmaProgressPort;
import io.migratekit.vma.VmaDtos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A VMA progress port for topology tests: answers every poll at once with what the test last set for
 * the job (404 until then), and records which jobs were polled, in order.
 */
public final class ScriptedVma implements VmaProgressPort {

    private final Map<String, PollOutcome> answers = new ConcurrentHashMap<>();
    private final List<String> polls = new ArrayList<>();

    public void answer(String jobId, VmaDtos.Progress progress) {
        answers.put(jobId, new PollOutcome.Answered(progress));
    }

    public void answer(String jobId, PollOutcome outcome) {
        answers.put(jobId, outcome);
    }

    @Override
    public synchronized CompletableFuture<PollOutcome> progress(String jobId) {
        polls.add(jobId);
        return CompletableFuture.completedFuture(answers.getOrDefault(jobId, new PollOutcome.NotFound()));
    }

    /** How many times the job was polled so far. */
    public synchronized long pollsOf(String jobId) {
        return polls.stream().filter(jobId::equals).count();
    }
}
