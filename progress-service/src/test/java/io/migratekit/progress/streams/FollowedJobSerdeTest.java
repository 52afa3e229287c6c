package io.migratekit.progress.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.progress.follow.Figures;
import io.migratekit.progress.follow.FollowedJob;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FollowedJobSerdeTest {

    private final FollowedJobSerde serde = new FollowedJobSerde();

    @Test
    void aFollowedJobSurvivesTheStoreFormatUnchanged() {
        FollowedJob job = FollowedJob.builder(FollowedJob.Status.FOLLOWING, "job-1").vmwareVmId("vm-1")
                .contextId("ctx-1").correlationId("req-1").failoverId("failover-1").replicationType("incremental")
                .disks(List.of("disk-2000", "disk-2001")).startedAt(10).followedSince(11)
                .changeIds(Map.of("disk-2000", "52 aa/3")).lastChangeAt(12).seenOnVma(true).notFoundSince(13L)
                .consecutiveFailures(2).lastFailure("refused").allCopiedSince(14L).completionPending(true)
                .figures(new Figures("in_progress", "incremental", "copying", "Copying disk 2", 42.5, 425, 1000, 12.5, 30L,
                        List.of(new Figures.DiskFigures("disk-2000", "Hard disk 1", 400, 400, 100.0, 0.0, "completed"))))
                .build();

        FollowedJob read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", job));

        assertThat(read).isEqualTo(job);
    }

    @Test
    void unknownFieldsOfANewerVersionAreIgnoredAndMissingOnesTakeDefaults() {
        String json = "{\"status\":\"ENDED\",\"jobId\":\"job-2\",\"endedAt\":5,\"endedAs\":\"completed\",\"addedLater\":1}";

        FollowedJob read = serde.deserializer().deserialize("t", json.getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(FollowedJob.builder(FollowedJob.Status.ENDED, "job-2").endedAt(5L)
                .endedAs("completed").build());
    }
}
