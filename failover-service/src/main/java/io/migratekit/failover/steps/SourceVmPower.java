package io.migratekit.failover.steps;

import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaClient;
import io.migratekit.vma.VmaDtos.PowerResponse;
import io.migratekit.vma.VmaDtos.PowerState;
import io.migratekit.vma.VmaException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Powers the source VM off and on through the VMA ({@code docs/vma-api.md}, power management), with the
 * vCenter login configured for its vCenter: a power-off counts only once the VM reports
 * {@code poweredOff} (the power state is asked until it does, within a bounded time), an already-off
 * VM is fine, and so is an already-on one for the power-on. A power-off that failed where the VMA may
 * have acted anyway (connection lost after sending, no answer in time, an unreadable answer) is
 * followed by a check of the power state, and counts as possibly off unless the VM is confirmed on. Blocking; each call has its deadline.
 * Messages name the VM and the VMA's reason, never the password.
 */
public class SourceVmPower {

    static final String POWERED_OFF = "poweredOff";
    static final String POWERED_ON = "poweredOn";

    private final VmaClient vma;
    private final VcenterCredentials credentials;
    private final Duration callTimeout;
    private final Duration confirmTimeout;
    private final Duration pollInterval;

    public SourceVmPower(VmaClient vma, VcenterCredentials credentials, Duration callTimeout, Duration confirmTimeout,
            Duration pollInterval) {
        this.vma = Objects.requireNonNull(vma, "vma");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.callTimeout = callTimeout;
        this.confirmTimeout = confirmTimeout;
        this.pollInterval = pollInterval;
    }

    /** Powers the VM off (gracefully) and waits until it reports poweredOff. */
    public PowerOutcome powerOff(String vmId, String vcenterHost) throws InterruptedException {
        Optional<VcenterCredentials.Login> login = login(vcenterHost);
        if (login.isEmpty()) {
            return new PowerOutcome(false, false, false, noLogin(vcenterHost));
        }
        PowerResponse response;
        try {
            response = await(vma.powerOff(vmId, login.get(), false, callTimeout));
        } catch (VmaException e) {
            String failed = "power-off of source VM " + vmId + " failed: " + redact(e.getMessage(), login.get());
            if (!e.mayHaveActed()) {
                return new PowerOutcome(false, false, false, failed);
            }
            return checkedAfterLostAnswer(vmId, login.get(), failed);
        }
        if (!Boolean.TRUE.equals(response.success())) {
            return new PowerOutcome(false, false, false, "the VMA did not power off source VM " + vmId + ": "
                    + redact(describe(response), login.get()));
        }
        boolean changed = !POWERED_OFF.equals(response.previousState());
        if (POWERED_OFF.equals(response.newState())) {
            return new PowerOutcome(true, changed, true, changed
                    ? "source VM " + vmId + " powered off (" + response.shutdownMethod() + ")"
                    : "source VM " + vmId + " was already powered off");
        }
        return awaitState(vmId, login.get(), POWERED_OFF, changed, "powered off");
    }

    /** Powers the VM on and waits until it reports poweredOn. */
    public PowerOutcome powerOn(String vmId, String vcenterHost) throws InterruptedException {
        Optional<VcenterCredentials.Login> login = login(vcenterHost);
        if (login.isEmpty()) {
            return new PowerOutcome(false, false, true, noLogin(vcenterHost));
        }
        PowerResponse response;
        try {
            response = await(vma.powerOn(vmId, login.get(), callTimeout));
        } catch (VmaException e) {
            return new PowerOutcome(false, false, true,
                    "power-on of source VM " + vmId + " failed: " + redact(e.getMessage(), login.get()));
        }
        if (!Boolean.TRUE.equals(response.success())) {
            return new PowerOutcome(false, false, true, "the VMA did not power on source VM " + vmId + ": "
                    + redact(describe(response), login.get()));
        }
        boolean changed = !POWERED_ON.equals(response.previousState());
        if (POWERED_ON.equals(response.newState())) {
            return new PowerOutcome(true, changed, false, changed
                    ? "source VM " + vmId + " powered back on"
                    : "source VM " + vmId + " was already powered on");
        }
        return awaitState(vmId, login.get(), POWERED_ON, changed, "powered on");
    }

    /**
     * After a power-off whose answer was lost (the VMA may have acted): the power state is asked once
     * and recorded; the step fails all the same, and unless the VM is confirmed still on it may be off,
     * so the failure leads to the rollback.
     */
    private PowerOutcome checkedAfterLostAnswer(String vmId, VcenterCredentials.Login login, String failed)
            throws InterruptedException {
        String state;
        try {
            state = await(vma.powerState(vmId, login, callTimeout)).powerState();
        } catch (VmaException e) {
            return new PowerOutcome(false, false, true, failed + "; the VMA may have acted and the power state could "
                    + "not be checked: " + redact(e.getMessage(), login));
        }
        boolean stillOn = POWERED_ON.equals(state);
        return new PowerOutcome(false, false, !stillOn, failed + "; the VMA may have acted: "
                + "its power state is now " + state);
    }

    private PowerOutcome awaitState(String vmId, VcenterCredentials.Login login, String wanted, boolean changed,
            String done) throws InterruptedException {
        long deadline = System.nanoTime() + confirmTimeout.toNanos();
        String last = "unknown";
        while (true) {
            try {
                PowerState state = await(vma.powerState(vmId, login, callTimeout));
                if (wanted.equals(state.powerState())) {
                    return new PowerOutcome(true, changed, POWERED_OFF.equals(wanted),
                            "source VM " + vmId + " " + done + " (confirmed by its power state)");
                }
                last = state.powerState();
            } catch (VmaException e) {
                last = "not known: " + redact(e.getMessage(), login);
            }
            if (System.nanoTime() + pollInterval.toNanos() > deadline) {
                return new PowerOutcome(false, changed, true, "source VM " + vmId + " did not report " + wanted
                        + " within " + readable(confirmTimeout) + " (last power state " + last + ")");
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    private Optional<VcenterCredentials.Login> login(String vcenterHost) {
        return credentials.forHost(vcenterHost).map(login -> login.vcenterHost() != null || vcenterHost == null
                ? login : new VcenterCredentials.Login(vcenterHost, login.username(), login.password()));
    }

    private <T> T await(CompletableFuture<T> call) throws InterruptedException {
        try {
            return call.get(callTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof VmaException vmaException) {
                throw vmaException;
            }
            throw new VmaException(VmaException.Kind.BAD_RESPONSE, 0, "VMA call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new VmaException(VmaException.Kind.TIMEOUT, 0, "the VMA did not answer within " + callTimeout, e);
        }
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String describe(PowerResponse response) {
        return response.message() != null && !response.message().isBlank() ? response.message()
                : "success=" + response.success() + ", state " + response.newState();
    }

    private static String noLogin(String vcenterHost) {
        return "no vCenter login is configured for " + (vcenterHost == null ? "the VM's vCenter (unknown host)"
                : "vCenter " + vcenterHost) + "; configure migratekit.vma.credentials or migratekit.vma.default-username/-password";
    }

    private static String redact(String message, VcenterCredentials.Login login) {
        String password = login.password();
        return message == null || password == null || password.isEmpty() ? message : message.replace(password, "<redacted>");
    }
}
