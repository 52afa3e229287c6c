package io.migratekit.intake.auth;

import io.migratekit.intake.api.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Guards every {@code /api/**} route before its handler runs (and before any body is read):
 * 401 without a valid bearer token, 403 when the token's role lacks the handler's
 * {@link RequiresPermission}. A handler that declares no permission is refused (fail closed); a
 * path without handler still needs a valid token before it may learn that it does not exist.
 * A request the callback listener admitted (see {@code CallbackListenerFilter}) comes with its caller
 * and needs no token; a stream marked {@link AcceptsStreamTicket} may be opened with a one-time
 * ticket instead of the header. The permission check is the same. Stores the principal as a request
 * attribute; owns no token.
 */
public class AuthInterceptor implements HandlerInterceptor {

    private final TokenAuthenticator authenticator;
    private final StreamTickets tickets;

    public AuthInterceptor(TokenAuthenticator authenticator, StreamTickets tickets) {
        this.authenticator = authenticator;
        this.tickets = tickets;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        ApiPrincipal principal = request.getAttribute(ApiPrincipal.ADMITTED_ATTRIBUTE) instanceof ApiPrincipal admitted
                ? admitted : ticketHolder(request, handler) ? redeemed(request, response)
                : authenticated(request, response);
        if (handler instanceof HandlerMethod method) {
            RequiresPermission required = method.getMethodAnnotation(RequiresPermission.class);
            if (required == null || !principal.role().permits(required.value())) {
                throw ApiProblem.forbidden("Role " + principal.role().configName() + " may not call "
                        + request.getMethod() + " " + request.getRequestURI());
            }
        }
        request.setAttribute(ApiPrincipal.ATTRIBUTE, principal);
        return true;
    }

    /** A stream that accepts tickets, asked with a ticket and without a header. */
    private static boolean ticketHolder(HttpServletRequest request, Object handler) {
        return handler instanceof HandlerMethod method && method.hasMethodAnnotation(AcceptsStreamTicket.class)
                && request.getParameter(AcceptsStreamTicket.PARAMETER) != null
                && request.getHeader(HttpHeaders.AUTHORIZATION) == null;
    }

    private ApiPrincipal redeemed(HttpServletRequest request, HttpServletResponse response) {
        return tickets.redeem(request.getParameter(AcceptsStreamTicket.PARAMETER)).orElseThrow(() -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            return ApiProblem.unauthorized("The stream ticket is unknown, used or expired; ask for a new one");
        });
    }

    private ApiPrincipal authenticated(HttpServletRequest request, HttpServletResponse response) {
        TokenAuthenticator.Result result = authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (!result.authenticated()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            throw ApiProblem.unauthorized(result.failure());
        }
        return result.principal();
    }
}
