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
 * Stores the principal as a request attribute; owns no token.
 */
public class AuthInterceptor implements HandlerInterceptor {

    private final TokenAuthenticator authenticator;

    public AuthInterceptor(TokenAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        TokenAuthenticator.Result result = authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (!result.authenticated()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            throw ApiProblem.unauthorized(result.failure());
        }
        ApiPrincipal principal = result.principal();
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
}
