package dev.emailchannel.api;

import dev.emailchannel.config.Secret;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of the HTTP API, in front of every {@code /api} route of {@code routes/api.camel.yaml}: a request without
 * {@code Authorization: Bearer CHANNEL_API_TOKEN} (that header only — never a query parameter, which would end up in
 * URLs, proxy logs and browser history) is answered 401 before its body is read; a path no route serves gets a JSON
 * 404, a known path with another method a JSON 405.
 *
 * <p>It is a Vert.x handler on the embedded server's router rather than a route step because the platform-http
 * consumer reads the whole body before the route runs.
 */
public final class ApiGate {

    static final String PATH = "/api/";
    private static final Logger LOG = LoggerFactory.getLogger(ApiGate.class);

    private final Secret token;
    private volatile boolean installed;

    public ApiGate(Secret token) {
        this.token = token;
    }

    /** True once the gate stands in front of the API routes; until then every API call fails (500). */
    public boolean installed() {
        return installed;
    }

    /** Puts the gate in front of the API routes and the JSON 404/405 behind them; call before routes start. */
    public void install(CamelContext context) {
        VertxPlatformHttpRouter router = context.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .filter(VertxPlatformHttpRouter::isMainServer).findFirst().orElse(null);
        if (router == null) {
            throw new IllegalStateException("the embedded HTTP server is not running: the API cannot be protected");
        }
        router.route(PATH + "*").order(Integer.MIN_VALUE).handler(this::authenticate);
        router.route(PATH + "*").order(Integer.MAX_VALUE).handler(ctx -> unknown(router.getRoutes(), ctx));
        installed = true;
    }

    void authenticate(RoutingContext ctx) {
        if (token.isEmpty()) {
            refuse(ctx, 401, "the API is disabled: CHANNEL_API_TOKEN is not set");
            return;
        }
        List<String> headers = ctx.request().headers().getAll("Authorization");
        if (headers.size() == 1 && matches(headers.get(0))) {
            ctx.next();
            return;
        }
        LOG.info("API {} {} refused with 401: {}", ctx.request().method(), ctx.normalizedPath(),
                headers.isEmpty() ? "no Authorization header" : "wrong bearer token");
        refuse(ctx, 401, "missing or wrong bearer token (Authorization: Bearer <CHANNEL_API_TOKEN>)");
    }

    private boolean matches(String header) {
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                token.value().getBytes(StandardCharsets.UTF_8));
    }

    /** No route took the request: 405 when the path exists with another method, else 404. */
    static void unknown(List<Route> routes, RoutingContext ctx) {
        String path = ctx.normalizedPath();
        HttpMethod method = ctx.request().method();
        // (Vert.x reports a path with :parameters as a regex path; getPath() still gives the template)
        List<HttpMethod> allowed = routes.stream().filter(r -> r.getPath() != null && r.methods() != null
                && samePath(r.getPath(), path))
                .flatMap(r -> r.methods().stream()).distinct().toList();
        if (!allowed.isEmpty() && !allowed.contains(method)) {
            ctx.response().putHeader("Allow", String.join(", ", allowed.stream().map(HttpMethod::name).toList()));
            refuse(ctx, 405, method.name() + " is not allowed on " + path + " (allowed: "
                    + String.join(", ", allowed.stream().map(HttpMethod::name).toList()) + ")");
            return;
        }
        refuse(ctx, 404, "no API call " + method.name() + " " + path);
    }

    /** A route path such as {@code /api/sessions/:id/close} against a request path; {@code :x} matches a segment. */
    static boolean samePath(String pattern, String path) {
        String[] p = pattern.split("/", -1);
        String[] r = path.split("/", -1);
        if (p.length != r.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            boolean variable = p[i].startsWith(":") || (p[i].startsWith("{") && p[i].endsWith("}"));
            if (variable ? r[i].isEmpty() : !p[i].equals(r[i])) {
                return false;
            }
        }
        return true;
    }

    private static void refuse(RoutingContext ctx, int status, String message) {
        String body = "{\"error\":" + ApiCall.quote(message) + "}";
        var response = ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        // the body of a refused request is never read: close the connection rather than drain it
        response.putHeader("Connection", "close");
        response.end(body);
    }
}
