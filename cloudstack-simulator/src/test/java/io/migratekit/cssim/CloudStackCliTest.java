package io.migratekit.cssim;

import static io.migratekit.cssim.SimTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/**
 * Cross-check by a client nobody here wrote: Debian's {@code cs} package (the {@code cloudstack}
 * command, Python) calls the simulator with a generated key pair through
 * {@code CLOUDSTACK_ENDPOINT}, {@code CLOUDSTACK_KEY} and {@code CLOUDSTACK_SECRET}. Fails (never
 * skips) when the command is missing.
 */
class CloudStackCliTest {

    @TempDir
    static Path dataDir;
    @TempDir
    static Path home;
    static CloudStackSimulator sim;

    @BeforeAll
    static void start() {
        sim = CloudStackSimulator.start(config(dataDir, Duration.ofMillis(1500)).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    record Run(int exit, String out, String err) {
        JsonNode json() {
            return Json.MAPPER.readTree(out);
        }
    }

    static String cloudstackCommand() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "cloudstack");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("the 'cloudstack' command is missing: install Debian's cs package (apt-get install -y cs) to run this check");
    }

    static Run cloudstack(String secret, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(cloudstackCommand());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CLOUDSTACK_"));
        env.put("HOME", home.toString());
        env.put("CLOUDSTACK_ENDPOINT", sim.endpoint());
        env.put("CLOUDSTACK_KEY", sim.config().apiKey());
        env.put("CLOUDSTACK_SECRET", secret);
        env.put("CLOUDSTACK_POLL_INTERVAL", "0.2");
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("cloudstack " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void listZonesWithTheGeneratedKeyPair() throws Exception {
        Run run = cloudstack(sim.config().secretKey(), "listZones", "available=true");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode zones = run.json();
        assertThat(zones.get("count").asInt()).isEqualTo(1);
        assertThat(zones.get("zone").get(0).get("id").asString()).isEqualTo(sim.config().zone().id());
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        Run run = cloudstack("not-the-secret", "listZones");
        assertThat(run.exit()).isNotZero();
        assertThat(run.out() + run.err()).contains("HTTP 401").contains("unable to verify user credentials and/or request signature");
    }

    @Test
    void createVolumeWithPostIsPolledUntilItsJobSucceeded() throws Exception {
        // when the CLI creates a volume by POST and waits for the async job (the job takes 1.5 s)
        Run run = cloudstack(sim.config().secretKey(), "--post", "--trace", "createVolume", "name=cli volume", "size=2",
                "diskofferingid=" + sim.config().diskOffering().id(), "zoneid=" + sim.config().zone().id());
        // then it sent a POST, polled the job while pending, and printed the job's result: the volume
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).startsWith("POST " + sim.endpoint());
        assertThat(run.err().split("command=queryAsyncJobResult", -1).length - 1).as(run.err()).isGreaterThanOrEqualTo(2);
        assertThat(run.err()).contains("\"jobstatus\":0").contains("\"jobstatus\":1");
        JsonNode volume = run.json().get("volume");
        assertThat(volume.get("name").asString()).isEqualTo("cli volume");
        assertThat(volume.get("size").asLong()).isEqualTo(2L << 30);
        // and the volume is there when listed by the CLI
        Run listed = cloudstack(sim.config().secretKey(), "listVolumes", "id=" + volume.get("id").asString());
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.json().get("volume").get(0).get("name").asString()).isEqualTo("cli volume");
    }

    @Test
    void aFailedJobIsReportedAsAFailureByTheCli() throws Exception {
        sim.faults().add(Faults.Fault.jobFailure("createVolume", 530, 1));
        Run run = cloudstack(sim.config().secretKey(), "--post", "createVolume", "name=doomed", "size=1",
                "diskofferingid=" + sim.config().diskOffering().id(), "zoneid=" + sim.config().zone().id());
        assertThat(run.exit()).isNotZero();
        assertThat(run.out() + run.err()).contains("injected fault: job failed");
    }
}
