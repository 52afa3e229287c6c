package io.migratekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JobWatchTest {

    private static JsonNode json(String text) {
        return ApiClient.JSON.readTree(text.replace('\'', '"'));
    }

    private static final JsonNode PROGRESS = json("{'job_id':'job-1','percent':50.0,'bytes_transferred':1500000000,"
            + "'total_bytes':3000000000,'throughput_mbps':100.0,'eta_seconds':null,'disks':["
            + "{'disk_id':'disk-2000','bytes_transferred':1000000000,'total_bytes':1000000000,'percent':100.0,"
            + "'throughput_mbps':0.0,'status':'completed'},"
            + "{'disk_id':'disk-2001','bytes_transferred':500000000,'total_bytes':2000000000,'percent':25.0,"
            + "'throughput_mbps':100.0,'status':'copying'}]}");

    @Test
    void eachEventOfTheJobIsOnePlainLineAndTheEndGivesTheExitCode() {
        JobWatch watch = new JobWatch("job-1");

        assertThat(watch.apply("JobCreated", json("{'job_id':'job-1','replication_type':'initial','vm':{'name':'web'}}")))
                .containsExactly("job job-1 created: initial replication of VM web");
        assertThat(watch.apply("JobStarted", json("{'job_id':'job-1','volumes':[{},{}]}")))
                .containsExactly("job job-1 started: the VMA copies 2 disk(s)");
        assertThat(watch.progressed()).isFalse();
        assertThat(watch.apply("JobProgress", PROGRESS)).containsExactly(
                "job job-1 50.0%  1.4 GiB of 2.8 GiB  100.0 MB/s  ETA 15s  | disk-2000 100.0%  | disk-2001 25.0%");
        assertThat(watch.apply("ChangeIdRecorded", json("{'job_id':'job-1','disk_id':'disk-2000'}")))
                .containsExactly("job job-1: disk disk-2000 change id recorded");
        assertThat(watch.ended()).isFalse();
        assertThat(watch.apply("JobCompleted", json("{'job_id':'job-1','bytes_transferred':3000000000,"
                + "'duration_ms':65000}"))).containsExactly("job job-1 completed: 2.8 GiB in 1m05s");

        assertThat(watch.ended()).isTrue();
        assertThat(watch.outcome()).isEqualTo("completed");
        assertThat(watch.exitCode()).isEqualTo(ExitCodes.DONE);
    }

    @Test
    void theTerminalBlockHasABarPerDiskWithItsRateAndEta() {
        JobWatch watch = new JobWatch("job-1");
        watch.apply("JobProgress", PROGRESS);

        assertThat(watch.block()).containsExactly(
                "job job-1 50.0%  1.4 GiB of 2.8 GiB  100.0 MB/s  ETA 15s",
                "  disk-2000 [########################] 100.0%  953.7 MiB of 953.7 MiB  0.0 MB/s  ETA -",
                "  disk-2001 [######------------------] 25.0%  476.8 MiB of 1.9 GiB  100.0 MB/s  ETA 15s");
    }

    @Test
    void theCompletionFillsTheBarsWithTheDisksAsTheVmaLastReportedThem() {
        JobWatch watch = new JobWatch("job-1");
        watch.apply("JobProgress", PROGRESS);

        watch.apply("JobCompleted", json("{'job_id':'job-1','bytes_transferred':3000000000,'duration_ms':1000,"
                + "'disks':[{'disk_id':'disk-2001','bytes_transferred':2000000000,'total_bytes':2000000000,"
                + "'percent':100.0,'throughput_mbps':0.0,'status':'completed'}]}"));

        assertThat(watch.block()).containsExactly(
                "job job-1 100.0%  2.8 GiB of 2.8 GiB  100.0 MB/s  ETA -",
                "  disk-2000 [########################] 100.0%  953.7 MiB of 953.7 MiB  0.0 MB/s  ETA -",
                "  disk-2001 [########################] 100.0%  1.9 GiB of 1.9 GiB  0.0 MB/s  ETA -");
    }

    @Test
    void theVmasEtaIsShownWhenItGaveOne() {
        JobWatch watch = new JobWatch("job-1");
        watch.apply("JobProgress", json("{'job_id':'job-1','percent':10.0,'bytes_transferred':1,'total_bytes':10,"
                + "'throughput_mbps':0.0,'eta_seconds':125,'disks':[]}"));

        assertThat(watch.summary()).isEqualTo("job job-1 10.0%  1 B of 10 B  0.0 MB/s  ETA 2m05s");
    }

    @Test
    void aFailedJobEndsWithItsReasonAndExitCodeOne() {
        JobWatch watch = new JobWatch("job-1");

        assertThat(watch.apply("JobFailed", json("{'job_id':'job-1','step':'copy','reason':'VMA_REPORTED_FAILURE',"
                + "'message':'disk 2 \\u001b[2J unreadable'}")))
                .containsExactly("job job-1 failed at copy: VMA_REPORTED_FAILURE: disk 2 ?[2J unreadable");
        assertThat(watch.outcome()).isEqualTo("failed");
        assertThat(watch.exitCode()).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void eventsOfAnotherJobOrOfUnknownTypesChangeNothing() {
        JobWatch watch = new JobWatch("job-1");

        assertThat(watch.apply("JobCompleted", json("{'job_id':'job-2','bytes_transferred':1,'duration_ms':1}")))
                .isEmpty();
        assertThat(watch.apply("Something", json("{'job_id':'job-1'}"))).isEmpty();
        assertThat(watch.ended()).isFalse();
    }
}
