package io.migratekit.intake.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The web console's security headers, on {@code /} and on every console file: a strict
 * Content-Security-Policy (only our own scripts, styles, images and API; no inline script or style,
 * no plugin, no framing), no MIME sniffing, no referrer, and no caching across deployments. The
 * console needs no token to load (only its API calls do); owns the headers, not the files.
 */
public final class ConsoleHeaders extends OncePerRequestFilter {

    /** Where the console's files are served. */
    public static final String ASSETS = "/console/";

    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        chain.doFilter(request, response);
    }
}
