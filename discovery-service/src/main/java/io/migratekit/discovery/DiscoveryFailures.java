package io.migratekit.discovery;

import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns a failed VMA discovery call into a {@link Verdict.Failed}: unreachable or the connection
 * lost → {@code VMA_UNREACHABLE}, past the deadline → {@code TIMEOUT}, the VMA's 404 naming the
 * datacenter → {@code DATACENTER_NOT_FOUND} (the client's input is wrong), any other HTTP error or an
 * unreadable answer → {@code VMA_ERROR}. A request that cannot be sent at all is
 * {@code NO_VCENTER_HOST} / {@code NO_VCENTER_LOGIN}, never a VMA failure. The message names the VM and what went wrong, and never the vCenter
 * login: the VMA's own error text is scrubbed of the password and user name that were sent.
 * Anything else that goes wrong while discovering is {@code UNKNOWN}: the requester still gets an
 * answer instead of waiting for one that never comes. Also tells which failures of a call asking
 * for several VMs are the same whatever it asked for ({@link #sameForEveryName}).
 */
public final class DiscoveryFailures {

    private static final String REDACTED = "<redacted>";
    /** A user name this short would scrub ordinary words out of the message. */
    private static final int MIN_SCRUBBED_USERNAME = 3;
    private static final int HTTP_UNAUTHORIZED = 401;
    private static final int HTTP_FORBIDDEN = 403;
    private static final int HTTP_NOT_FOUND = 404;

    private DiscoveryFailures() {
    }

    /** No login is configured for the request's vCenter. */
    public static Verdict.Failed noCredentials(DiscoveryTarget target) {
        return new Verdict.Failed(DiscoveryFailureReason.NO_VCENTER_LOGIN,
                "no vCenter credentials configured for " + target.vcenterHost()
                        + "; name a vCenter this appliance has a login for");
    }

    /** The request names no vCenter at all (neither {@code vcenter_host} nor {@code source_vm.vcenter_host}). */
    public static Verdict.Failed noVcenterHost(DiscoveryTarget target) {
        return new Verdict.Failed(DiscoveryFailureReason.NO_VCENTER_HOST, "no vCenter host given for VM '"
                + target.vmName() + "' (request vcenter_host and source_vm.vcenter_host are empty)");
    }

    /**
     * Whether the failure of a VMA call cannot depend on the VM names it asked for, so that asking
     * for each name alone would only fail the same way: the VMA was not reached at all (connection
     * refused or reset, unknown host: no answer came), or it refused the login the call carried
     * (HTTP 401 or 403; the same login serves every name of a call), or it does not know the call's
     * datacenter (its 404 naming the datacenter). Any other failure (an HTTP
     * error, an unreadable answer, no answer within the deadline, anything unexpected) may be caused
     * by one VM's data or slowness.
     */
    public static boolean sameForEveryName(Throwable failure) {
        if (!(unwrap(failure) instanceof VmaException vma)) {
            return false;
        }
        return vma.kind() == VmaException.Kind.UNREACHABLE || vma.kind() == VmaException.Kind.CONNECTION_LOST
                || vma.kind() == VmaException.Kind.HTTP_ERROR
                && (vma.status() == HTTP_UNAUTHORIZED || vma.status() == HTTP_FORBIDDEN || isDatacenterNotFound(vma));
    }

    /** Classifies a failed discovery: the VMA's failures by kind, anything else as {@code UNKNOWN}. */
    public static Verdict.Failed classify(Throwable failure, DiscoveryTarget target, Duration deadline,
            VcenterCredentials.Login login) {
        Throwable cause = unwrap(failure);
        String vm = "VM '" + target.vmName() + "'";
        if (cause instanceof TimeoutException) {
            return timeout(vm, deadline);
        }
        if (!(cause instanceof VmaException vma)) {
            return new Verdict.Failed(DiscoveryFailureReason.UNKNOWN, "discovery of " + vm
                    + " failed inside discovery-service: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + scrub(cause.getMessage(), login)));
        }
        String detail = scrub(vma.getMessage(), login);
        return switch (vma.kind()) {
            case TIMEOUT -> timeout(vm, deadline);
            case UNREACHABLE, CONNECTION_LOST -> new Verdict.Failed(DiscoveryFailureReason.VMA_UNREACHABLE,
                    "discovery of " + vm + " failed, the VMA is unreachable: " + detail);
            case HTTP_ERROR -> isDatacenterNotFound(vma) ? new Verdict.Failed(DiscoveryFailureReason.DATACENTER_NOT_FOUND,
                    "discovery of " + vm + " failed, the VMA does not know the datacenter "
                            + quoted(target.datacenter()) + ": " + detail)
                    : new Verdict.Failed(DiscoveryFailureReason.VMA_ERROR,
                    "discovery of " + vm + " failed, the VMA answered HTTP " + vma.status() + ": " + detail);
            case BAD_RESPONSE -> new Verdict.Failed(DiscoveryFailureReason.VMA_ERROR,
                    "discovery of " + vm + " failed, the VMA's answer is unreadable: " + detail);
        };
    }

    /** The VMA's 404 to a discovery whose datacenter it does not know (its text names the datacenter). */
    private static boolean isDatacenterNotFound(VmaException vma) {
        return vma.status() == HTTP_NOT_FOUND && vma.getMessage() != null
                && vma.getMessage().toLowerCase(java.util.Locale.ROOT).contains("datacenter");
    }

    private static String quoted(String value) {
        return value == null ? "(none)" : "'" + value + "'";
    }

    static String scrub(String text, VcenterCredentials.Login login) {
        if (text == null) {
            return "";
        }
        String scrubbed = text;
        if (login.password() != null && !login.password().isEmpty()) {
            scrubbed = replaceSecret(scrubbed, login.password());
        }
        if (login.username() != null && login.username().length() >= MIN_SCRUBBED_USERNAME) {
            scrubbed = replaceSecret(scrubbed, login.username());
        }
        return scrubbed;
    }

    private static String replaceSecret(String text, String secret) {
        String plain = text.replace(secret, REDACTED);
        return plain.replace(URLEncoder.encode(secret, StandardCharsets.UTF_8), REDACTED);
    }

    private static Verdict.Failed timeout(String vm, Duration deadline) {
        return new Verdict.Failed(DiscoveryFailureReason.TIMEOUT,
                "the VMA did not answer discovery of " + vm + " within " + human(deadline));
    }

    private static String human(Duration deadline) {
        long millis = deadline.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
