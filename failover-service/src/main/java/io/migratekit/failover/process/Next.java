package io.migratekit.failover.process;

import io.migratekit.events.FailoverStep;
import java.time.Instant;

/** What a failover has to do next, as {@link FailoverRules#next} decides it from its record. */
public sealed interface Next {

    /** Nothing: the process ended, or its record is not one the rules act on. */
    record Nothing(String why) implements Next {
    }

    /** Run a step that calls the VMA or the target platform: power-off, target VM, status update, rollback, cleanup. */
    record Run(FailoverStep step) implements Next {
    }

    /** Choose the final sync's request id and absolute deadline and record them before anything is sent. */
    record PlanFinalSync() implements Next {
    }

    /** Send the final sync's request (and record its step as started). */
    record RequestFinalSync() implements Next {
    }

    /** Wait for the final sync's outcome event, at most until the deadline. */
    record AwaitFinalSync(Instant deadline) implements Next {
    }

    /** The final sync's JobCompleted arrived: end its step and go on. */
    record CompleteFinalSync() implements Next {
    }

    /** The deadline passed without an outcome: the final sync failed. */
    record FinalSyncDeadlinePassed(String reason) implements Next {
    }

    /** A failure was recorded from an event while its step was open (or not yet recorded): close the step as failed. */
    record CloseFailedStep(FailoverStep step) implements Next {
    }

    /** Everything after the failure is done: report it ({@code FailoverFailed}). */
    record ReportFailure() implements Next {
    }
}
