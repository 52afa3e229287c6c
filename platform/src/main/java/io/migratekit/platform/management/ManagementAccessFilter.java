package io.migratekit.platform.management;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import org.springframework.core.Ordered;

/**
 * Applies {@link ManagementAccess} to every request before anything else of the service sees it:
 * a refused management request gets 401 with a plain-text reason; an open health request goes on
 * as anonymous (so health shows its status only); a request with the management token goes on as
 * the {@code management} principal (so health shows its details). Thin: the rule decides.
 */
public class ManagementAccessFilter extends HttpFilter implements Ordered {

    private static final Principal MANAGEMENT = () -> "management";

    private final transient ManagementAccess access;

    public ManagementAccessFilter(ManagementAccess access) {
        this.access = access;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // The container's decoded, normalised path (no path parameters, no dot segments).
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        ManagementAccess.Verdict verdict = access.decide(path, request.getHeader("Authorization"));
        switch (verdict.access()) {
            case NOT_MANAGEMENT -> chain.doFilter(request, response);
            case STATUS_ONLY -> chain.doFilter(new AsPrincipal(request, null), response);
            case AUTHORIZED -> chain.doFilter(new AsPrincipal(request, MANAGEMENT), response);
            case REFUSED -> {
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                response.setHeader("WWW-Authenticate", "Bearer");
                response.setContentType("text/plain;charset=UTF-8");
                response.getOutputStream().write((verdict.reason() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** The request as seen by the actuator: exactly this principal (or none), and every role with it. */
    private static final class AsPrincipal extends HttpServletRequestWrapper {

        private final Principal principal;

        AsPrincipal(HttpServletRequest request, Principal principal) {
            super(request);
            this.principal = principal;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public String getRemoteUser() {
            return principal == null ? null : principal.getName();
        }

        @Override
        public boolean isUserInRole(String role) {
            return principal != null;
        }
    }
}
