package io.migratekit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.VmDiscovered;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.Inventory;
import io.migratekit.vmasim.SimVm;
import io.migratekit.vmasim.SimulatorConfig;
import io.migratekit.vmasim.VmaSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many concurrent requests over few VMs, each VMA discovery call slowed down: every request is answered
 * exactly once with its own VM, the calls run side by side, and never more of them than the configured
 * bound. A call asks for at most a few names here, so that even one batch makes several calls. For a
 * measurement run, raise the request count, the bound and the names per call:
 * {@code -Ddiscovery.requests=1000 -Ddiscovery.max-in-flight=64 -Ddiscovery.max-names-per-call=50}.
 */
class ConcurrentRequestsIntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentRequestsIntegrationTest.class);
    private static final int REQUESTS = Integer.getInteger("discovery.requests", 200);
    private static final int VMS = 50;
    private static final int MAX_IN_FLIGHT = Integer.getInteger("discovery.max-in-flight", 32);
    private static final int MAX_NAMES_PER_CALL = Integer.getInteger("discovery.max-names-per-call", 4);
    private static final Duration VMA_DELAY = Duration.ofMillis(250);

    private static VmaSimulator vma;
    private static RunningService service;
    private static Pipeline pipeline;

    @BeforeAll
    static void start() {
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        vma = VmaSimulator.start(SimulatorConfig.builder().inventory(Inventory.generated(VMS)).httpThreads(64).build());
        vma.faults().global().responseDelay(VMA_DELAY);
        service = RunningService.start(infra, vma.baseUrl(),
                Map.of("migratekit.discovery.max-in-flight", String.valueOf(MAX_IN_FLIGHT),
                        "migratekit.discovery.max-names-per-call", String.valueOf(MAX_NAMES_PER_CALL)));
        pipeline = new Pipeline(infra);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (vma != null) {
            vma.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyRequestIsAnsweredExactlyOnceWithDiscoveriesRunningSideBySide() throws Exception {
        // given
        List<SimVm> vms = vma.inventory().all();
        List<ReplicationRequested> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            SimVm vm = vms.get(i % VMS);
            requests.add(Requests.request(vm.id(), vm.name(), RunningService.VCENTER, "DemoDC"));
        }
        Map<String, ReplicationRequested> byCorrelation = requests.stream()
                .collect(Collectors.toMap(ReplicationRequested::getCorrelationId, Function.identity()));
        MeterRegistry meters = service.bean(MeterRegistry.class);
        InFlightSampler sampler = new InFlightSampler(meters);
        sampler.start();

        // when
        long started = System.nanoTime();
        pipeline.sendAll(Topics.REPLICATION_REQUESTED, requests, ReplicationRequested::getVmwareVmId);
        pipeline.awaitCommitted(RunningService.GROUP, Topics.REPLICATION_REQUESTED.name());
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        sampler.stop();

        // then
        List<VmDiscovered> discovered = pipeline.read(Topics.VM_DISCOVERED,
                d -> byCorrelation.containsKey(d.getCorrelationId()));
        List<DiscoveryFailed> failed = pipeline.read(Topics.DISCOVERY_FAILED,
                f -> byCorrelation.containsKey(f.getCorrelationId()));
        assertThat(failed).isEmpty();
        assertThat(discovered).hasSize(REQUESTS);
        assertThat(discovered.stream().map(VmDiscovered::getCorrelationId).collect(Collectors.toSet()))
                .isEqualTo(byCorrelation.keySet());
        for (VmDiscovered outcome : discovered) {
            ReplicationRequested request = byCorrelation.get(outcome.getCorrelationId());
            assertThat(outcome.getVmwareVmId()).isEqualTo(request.getVmwareVmId());
            assertThat(outcome.getVm().getId()).isEqualTo(request.getVmwareVmId());
            assertThat(outcome.getVm().getName()).isEqualTo(request.getRequest().getSourceVm().getName());
            assertThat(outcome.getRequest()).isEqualTo(request.getRequest());
        }
        assertThat(sampler.peak()).as("peak VMA calls in flight").isGreaterThan(1).isLessThanOrEqualTo(MAX_IN_FLIGHT);
        Set<String> vmsAnswered = discovered.stream().map(VmDiscovered::getVmwareVmId).collect(Collectors.toSet());
        assertThat(vmsAnswered).hasSize(VMS);
        log.info("{} requests over {} VMs (VMA answering in {} ms each, at most {} calls in flight, {} names a call): "
                + "all answered and committed in {} ms, peak in flight {}", REQUESTS, VMS, VMA_DELAY.toMillis(),
                MAX_IN_FLIGHT, MAX_NAMES_PER_CALL, tookMs, sampler.peak());
    }

    /** Samples the service's in-flight gauge on its own thread and keeps the highest value seen. */
    private static final class InFlightSampler {
        private final MeterRegistry meters;
        private final AtomicInteger peak = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        InFlightSampler(MeterRegistry meters) {
            this.meters = meters;
            this.thread = new Thread(this::sample, "in-flight-sampler");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        int peak() {
            return peak.get();
        }

        private void sample() {
            while (running.get()) {
                int now = (int) meters.get(DiscoveryMetrics.IN_FLIGHT).gauge().value();
                peak.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
