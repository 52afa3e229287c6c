package io.migratekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DowntimeEstimateTest {

    private static JsonNode json(String text) {
        return ApiClient.JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void theTotalComesFirstThenEachPartWithItsBasis() {
        // given: the API's estimate of a VM with history
        JsonNode estimate = json("{'power_off':{'seconds':40,'basis':'median of this VM\\u2019s last 2 power-offs'},"
                + "'final_sync':{'seconds':95,'basis':'median of this VM\\u2019s last 3 incremental syncs'},"
                + "'target_vm':{'seconds':70,'basis':'median of this VM\\u2019s last 1 target VM creation'},"
                + "'total_seconds':205,'complete':true}");

        // when / then
        assertThat(DowntimeEstimate.describe(estimate).lines()).containsExactly(
                "Estimated downtime: about 3m25s",
                "  power-off: 40s (median of this VM\u2019s last 2 power-offs)",
                "  final incremental sync: 1m35s (median of this VM\u2019s last 3 incremental syncs)",
                "  target VM: 1m10s (median of this VM\u2019s last 1 target VM creation)");
    }

    @Test
    void anUnknownFinalSyncIsSaidAndNotCountedAsZero() {
        // given: a VM without an incremental sync yet
        JsonNode estimate = json("{'power_off':{'seconds':60,'basis':'default: this VM has had no power-off yet'},"
                + "'final_sync':{'seconds':null,'basis':'unknown: this VM has had no incremental sync yet'},"
                + "'target_vm':{'seconds':120,'basis':'default: this VM has had no target VM creation yet'},"
                + "'total_seconds':180,'complete':false}");

        // when / then
        assertThat(DowntimeEstimate.describe(estimate).lines()).containsExactly(
                "Estimated downtime: about 3m00s plus the final incremental sync (unknown)",
                "  power-off: 1m00s (default: this VM has had no power-off yet)",
                "  final incremental sync: unknown (unknown: this VM has had no incremental sync yet)",
                "  target VM: 2m00s (default: this VM has had no target VM creation yet)");
    }
}
