package io.migratekit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DiscoveryFailuresTest {

    private static final DiscoveryTarget TARGET = new DiscoveryTarget("vm-1", "pgtest1", "vc-01.example", "DemoDC");
    private static final VcenterCredentials.Login LOGIN =
            new VcenterCredentials.Login("vc-01.example", "administrator@vsphere.local", "S3cr3t&pass");
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @Test
    void anUnreachableVmaIsVmaUnreachable() {
        // given
        VmaException failure = new VmaException(VmaException.Kind.UNREACHABLE, 0,
                "VMA POST /api/v1/discover: VMA unreachable at http://127.0.0.1:9", new ConnectException());

        // when
        Verdict.Failed failed = DiscoveryFailures.classify(new CompletionException(failure), TARGET, DEADLINE, LOGIN);

        // then
        assertThat(failed).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.VMA_UNREACHABLE,
                "discovery of VM 'pgtest1' failed, the VMA is unreachable:"
                        + " VMA POST /api/v1/discover: VMA unreachable at http://127.0.0.1:9"));
    }

    @Test
    void theClientsTimeoutAndOurDeadlineAreBothTimeout() {
        // given
        VmaException clientTimeout = new VmaException(VmaException.Kind.TIMEOUT, 0, "no answer within PT15S", null);

        // when
        Verdict.Failed fromClient = DiscoveryFailures.classify(clientTimeout, TARGET, DEADLINE, LOGIN);
        Verdict.Failed fromDeadline = DiscoveryFailures.classify(new TimeoutException(), TARGET,
                Duration.ofMillis(1500), LOGIN);

        // then
        assertThat(fromClient).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.TIMEOUT,
                "the VMA did not answer discovery of VM 'pgtest1' within 15 s"));
        assertThat(fromDeadline).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.TIMEOUT,
                "the VMA did not answer discovery of VM 'pgtest1' within 1500 ms"));
    }

    @Test
    void theVmasNotFoundForTheDatacenterIsTheClientsMistakeNotAVmaFailure() {
        // given
        VmaException failure = new VmaException(VmaException.Kind.HTTP_ERROR, 404,
                "VMA POST /api/v1/discover answered HTTP 404: datacenter 'DemoDC' not found", null);

        // when
        Verdict.Failed failed = DiscoveryFailures.classify(failure, TARGET, DEADLINE, LOGIN);

        // then
        assertThat(failed).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.DATACENTER_NOT_FOUND,
                "discovery of VM 'pgtest1' failed, the VMA does not know the datacenter 'DemoDC': "
                        + "VMA POST /api/v1/discover answered HTTP 404: datacenter 'DemoDC' not found"));
    }

    @Test
    void anHttpErrorIsVmaErrorWithoutTheLogin() {
        // given: the VMA echoes the login in its error text
        VmaException failure = new VmaException(VmaException.Kind.HTTP_ERROR, 500,
                "VMA POST /api/v1/discover answered HTTP 500: login administrator@vsphere.local/S3cr3t&pass refused"
                        + " (S3cr3t%26pass)", null);

        // when
        Verdict.Failed failed = DiscoveryFailures.classify(failure, TARGET, DEADLINE, LOGIN);

        // then
        assertThat(failed).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.VMA_ERROR,
                "discovery of VM 'pgtest1' failed, the VMA answered HTTP 500:"
                        + " VMA POST /api/v1/discover answered HTTP 500: login <redacted>/<redacted> refused (<redacted>)"));
    }

    @Test
    void anUnreadableAnswerIsVmaError() {
        // given
        VmaException failure = new VmaException(VmaException.Kind.BAD_RESPONSE, 200,
                "VMA answered unreadable JSON to /api/v1/discover: Unexpected character", null);

        // when
        Verdict.Failed failed = DiscoveryFailures.classify(failure, TARGET, DEADLINE, LOGIN);

        // then
        assertThat(failed).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.VMA_ERROR,
                "discovery of VM 'pgtest1' failed, the VMA's answer is unreadable:"
                        + " VMA answered unreadable JSON to /api/v1/discover: Unexpected character"));
    }

    @Test
    void anythingElseIsUnknownAndScrubbed() {
        // given
        RuntimeException bug = new IllegalStateException("cannot map answer for administrator@vsphere.local");

        // when
        Verdict.Failed failed = DiscoveryFailures.classify(new CompletionException(bug), TARGET, DEADLINE, LOGIN);

        // then
        assertThat(failed).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.UNKNOWN,
                "discovery of VM 'pgtest1' failed inside discovery-service: IllegalStateException:"
                        + " cannot map answer for <redacted>"));
    }

    @Test
    void onlyAnUnreachableVmaAndARefusedLoginAreTheSameForEveryNameOfACall() {
        // given
        Map<String, Throwable> failures = new LinkedHashMap<>();
        failures.put("unreachable", new CompletionException(new VmaException(VmaException.Kind.UNREACHABLE, 0,
                "VMA POST /api/v1/discover: VMA unreachable at http://127.0.0.1:9", new ConnectException())));
        failures.put("401", new VmaException(VmaException.Kind.HTTP_ERROR, 401, "unauthorized", null));
        failures.put("403", new VmaException(VmaException.Kind.HTTP_ERROR, 403, "forbidden", null));
        failures.put("500", new VmaException(VmaException.Kind.HTTP_ERROR, 500, "ServerFaultCode", null));
        failures.put("404", new VmaException(VmaException.Kind.HTTP_ERROR, 404, "not found", null));
        failures.put("404 datacenter", new VmaException(VmaException.Kind.HTTP_ERROR, 404,
                "VMA POST /api/v1/discover answered HTTP 404: datacenter 'Nowhere' not found", null));
        failures.put("connection lost", new VmaException(VmaException.Kind.CONNECTION_LOST, 0, "reset", null));
        failures.put("unreadable", new VmaException(VmaException.Kind.BAD_RESPONSE, 200, "unexpected end", null));
        failures.put("client timeout", new VmaException(VmaException.Kind.TIMEOUT, 0, "no answer", null));
        failures.put("deadline", new CompletionException(new TimeoutException()));
        failures.put("bug", new IllegalStateException("boom"));

        // when
        Map<String, Boolean> same = new LinkedHashMap<>();
        failures.forEach((what, failure) -> same.put(what, DiscoveryFailures.sameForEveryName(failure)));

        // then
        assertThat(same).containsExactly(
                Map.entry("unreachable", true),
                Map.entry("401", true),
                Map.entry("403", true),
                Map.entry("500", false),
                Map.entry("404", false),
                Map.entry("404 datacenter", true),
                Map.entry("connection lost", true),
                Map.entry("unreadable", false),
                Map.entry("client timeout", false),
                Map.entry("deadline", false),
                Map.entry("bug", false));
    }

    @Test
    void missingCredentialsNameTheHost() {
        // when
        Verdict.Failed failed = DiscoveryFailures.noCredentials(TARGET);

        // then
        assertThat(failed).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.NO_VCENTER_LOGIN,
                "no vCenter credentials configured for vc-01.example; name a vCenter this appliance has a login for"));
    }
}
