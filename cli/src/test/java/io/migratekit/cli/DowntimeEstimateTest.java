package io.migratekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DowntimeEstimateTest {

    private static JsonNode json(String text) {
        return ApiClient.JSON.readTree(text.replace('\'', '"'));
    }

    private static String job(String type, String status, int seconds) {
        return "{'replication_type':'" + type + "','status':'" + status + "','started_at':'2026-01-01T00:00:00Z',"
                + "'completed_at':'2026-01-01T00:00:" + String.format("%02d", seconds) + "Z'}";
    }

    @Test
    void theFinalSyncIsTheMeanOfTheLastCompletedIncrementalSyncsOnly() {
        JsonNode history = json("[" + job("incremental", "completed", 10) + "," + job("incremental", "failed", 50)
                + "," + job("initial", "completed", 59) + "," + job("incremental", "completed", 20) + "]");

        assertThat(DowntimeEstimate.finalSync(history)).contains(Duration.ofSeconds(15));
        assertThat(DowntimeEstimate.describe(history)).isEqualTo("Estimated downtime: the final incremental sync takes "
                + "about 15s (mean of the last 2 incremental syncs), plus powering the source off and starting the VM "
                + "on CloudStack.");
    }

    @Test
    void atMostTheFiveNewestCount() {
        JsonNode history = json("[" + job("incremental", "completed", 1) + "," + job("incremental", "completed", 1)
                + "," + job("incremental", "completed", 1) + "," + job("incremental", "completed", 1) + ","
                + job("incremental", "completed", 1) + "," + job("incremental", "completed", 59) + "]");

        assertThat(DowntimeEstimate.finalSync(history)).contains(Duration.ofSeconds(1));
    }

    @Test
    void withoutACompletedIncrementalSyncTheEstimateIsUnknown() {
        JsonNode history = json("[" + job("initial", "completed", 30) + "]");

        assertThat(DowntimeEstimate.finalSync(history)).isEmpty();
        assertThat(DowntimeEstimate.describe(history)).startsWith("Estimated downtime: unknown");
    }
}
