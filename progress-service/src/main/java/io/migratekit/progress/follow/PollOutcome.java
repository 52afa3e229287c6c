package io.migratekit.progress.follow;

import io.migratekit.vma.VmaDtos;
import java.util.Objects;

/**
 * What one {@code GET /api/v1/progress/{job_id}} gave: an answer, a 404, or no usable answer.
 * A value; it does not decide what the outcome means for the job ({@link JobFollowRules} does).
 */
public sealed interface PollOutcome {

    /** The outcome's name in metrics: {@code answered}, {@code not_found} or the failure kind in lower case. */
    String metricName();

    /** The VMA answered 200 with the job's progress. */
    record Answered(VmaDtos.Progress progress) implements PollOutcome {
        public Answered {
            Objects.requireNonNull(progress, "progress");
        }

        @Override
        public String metricName() {
            return "answered";
        }
    }

    /** The VMA answered 404: it does not know the job (not yet, or not any more). */
    record NotFound() implements PollOutcome {
        @Override
        public String metricName() {
            return "not_found";
        }
    }

    /**
     * No usable answer: the VMA was unreachable, too slow, answered an HTTP error or unreadable JSON.
     *
     * @param kind    {@code unreachable}, {@code timeout}, {@code http_error} or {@code bad_response}
     * @param message what happened, without secrets
     */
    record Unavailable(String kind, String message) implements PollOutcome {
        public Unavailable {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String metricName() {
            return kind;
        }
    }
}
