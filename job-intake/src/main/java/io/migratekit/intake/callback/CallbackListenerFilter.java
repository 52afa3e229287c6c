package io.migratekit.intake.callback;

import io.migratekit.intake.api.ErrorResponses;
import io.migratekit.intake.auth.ApiPrincipal;
import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.Role;
import io.migratekit.intake.auth.TokenAuthenticator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The door of the callback listener: a request that came in on the listener's port may only be one
 * of the two change-id callbacks (anything else is 404 there, actuator and API docs included), from
 * a configured source address; it needs no token, as the deployed copy engine sends none, but a
 * token it does send must be valid and allowed to call back. An admitted request goes on as the
 * {@code vma} role, so the API's own authorization still applies. Requests on the API port pass
 * untouched: there the bearer token stays required.
 */
public class CallbackListenerFilter extends OncePerRequestFilter {

    static final String CALLBACK_CALLER = "vma-callback";
    private static final Pattern RECORD_ROUTE = Pattern.compile("/api/v1/replications/[^/]+/changeid");
    private static final String LOOKUP_ROUTE = "/api/v1/replications/changeid";

    private final IntSupplier listenerPort;
    private final SourceAddresses sources;
    private final TokenAuthenticator authenticator;
    private final ErrorResponses errors;
    private final JsonMapper mapper = JsonMapper.builder().build();

    /** @param listenerPort the port the listener actually listens on (known once it started) */
    public CallbackListenerFilter(IntSupplier listenerPort, SourceAddresses sources, TokenAuthenticator authenticator,
            ErrorResponses errors) {
        this.listenerPort = listenerPort;
        this.sources = sources;
        this.authenticator = authenticator;
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getLocalPort() != listenerPort.getAsInt()) {
            chain.doFilter(request, response);
            return;
        }
        if (!isChangeIdCallback(request)) {
            refuse(response, HttpStatus.NOT_FOUND, "Not found", "The callback listener serves only GET "
                    + LOOKUP_ROUTE + " and POST /api/v1/replications/{job_id}/changeid");
            return;
        }
        String remote = request.getRemoteAddr();
        if (!sources.contains(remote)) {
            refuse(response, HttpStatus.FORBIDDEN, "Forbidden", "Callbacks are accepted only from the configured "
                    + "source addresses; " + remote + " is not one of them");
            return;
        }
        ApiPrincipal caller = new ApiPrincipal(CALLBACK_CALLER, Role.VMA);
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            TokenAuthenticator.Result result = authenticator.authenticate(authorization);
            if (!result.authenticated()) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
                refuse(response, HttpStatus.UNAUTHORIZED, "Unauthorized", result.failure());
                return;
            }
            if (!result.principal().role().permits(Permission.CHANGE_ID)) {
                refuse(response, HttpStatus.FORBIDDEN, "Forbidden", "Role " + result.principal().role().configName()
                        + " may not call the change-id callbacks");
                return;
            }
            caller = result.principal();
        }
        request.setAttribute(ApiPrincipal.ADMITTED_ATTRIBUTE, caller);
        chain.doFilter(request, response);
    }

    private static boolean isChangeIdCallback(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return ("GET".equals(request.getMethod()) && LOOKUP_ROUTE.equals(path))
                || ("POST".equals(request.getMethod()) && RECORD_ROUTE.matcher(path).matches());
    }

    private void refuse(HttpServletResponse response, HttpStatus status, String error, String details)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(mapper.writeValueAsBytes(errors.body(error, details)));
    }
}
