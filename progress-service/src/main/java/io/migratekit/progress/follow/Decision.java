package io.migratekit.progress.follow;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the rules decided for one input (an event or a poll outcome): the job's state afterwards,
 * whether it must be written, the events to emit, and when to poll the job next. A value; the
 * processor applies it (store write, emission and schedule in one transaction).
 *
 * @param state        the job's state afterwards (unchanged, new, or ended)
 * @param stateChanged whether {@code state} must be written to the store
 * @param events       the events to emit, in order
 * @param nextPoll     when to poll the job next
 * @param outcome      one word for the log line of the handled event, e.g. {@code following}, {@code duplicate}
 */
public record Decision(FollowedJob state, boolean stateChanged, List<SpecificRecord> events, NextPoll nextPoll,
        String outcome) {

    public Decision {
        events = List.copyOf(events);
    }

    /** Nothing to do: no write, no event, the schedule as it was. */
    public static Decision nothing(FollowedJob state, String outcome) {
        return new Decision(state, false, List.of(), NextPoll.UNCHANGED, outcome);
    }

    /** When the processor polls the job next. */
    public enum NextPoll {
        /** Keep the job's schedule as it is. */
        UNCHANGED,
        /** As soon as possible (a new job, or a completion that waits for fresh figures). */
        NOW,
        /** One poll interval after the last poll was launched. */
        REGULAR,
        /** After the failure backoff ({@link FollowSettings#backoffMillis(int)} of the job's failures). */
        BACKOFF,
        /** Never again: the job is not followed (any more). */
        STOP
    }
}
