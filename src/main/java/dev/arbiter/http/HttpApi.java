// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.http;

import dev.arbiter.auth.Principal;
import dev.arbiter.auth.RoleMap;
import dev.arbiter.crypto.Certificates;
import dev.arbiter.internal.Json;
import dev.arbiter.problem.CommonProblem;
import dev.arbiter.problem.Problem;
import dev.arbiter.problem.ProblemException;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the route table into Helidon routing: per-route authentication (client certificate mapped
 * to a role through roles.json) and authorization, bounded body reading, and one place that maps
 * every outcome to JSON or {@code application/problem+json}. Unknown routes are 404 problems.
 */
public final class HttpApi {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

  /** Retry-After (seconds) on every typed 503 problem. */
  static final String RETRY_AFTER_SECONDS = "1";

  private final List<Route> routes;
  private final RoleMap roles;
  private final Observer observer;
  private final Admission admission;

  /**
   * Told about every answered request, for metrics: the method, the route template (never the raw
   * path; {@code unmatched} for requests no route took), the status and the time taken.
   */
  @FunctionalInterface
  public interface Observer {
    void answered(String method, String route, int status, long nanos);
  }

  public HttpApi(List<Route> routes, RoleMap roles) {
    this(routes, roles, (method, route, status, nanos) -> {});
  }

  public HttpApi(List<Route> routes, RoleMap roles, Observer observer) {
    this(routes, roles, observer, new Admission(Admission.Settings.unlimited()));
  }

  /**
   * @param admission limits the routes marked {@link Route#withAdmission()} (per-client rate,
   *     concurrency with a queue-time budget)
   */
  public HttpApi(List<Route> routes, RoleMap roles, Observer observer, Admission admission) {
    this.routes = List.copyOf(routes);
    this.roles = roles;
    this.observer = observer;
    this.admission = admission;
  }

  public List<Route> routes() {
    return routes;
  }

  public void register(HttpRouting.Builder routing) {
    for (Route route : routes) {
      List<String> names = paramNames(route.path());
      routing.route(
          Method.create(route.method()),
          route.path(),
          (req, res) -> {
            long start = System.nanoTime();
            try {
              serve(route, names, req, res);
            } finally {
              observe(route.method(), route.path(), res, start);
            }
          });
    }
    routing.any((req, res) -> {
      long start = System.nanoTime();
      try {
        unrouted(req, res);
      } finally {
        observe(req.prologue().method().text(), "unmatched", res, start);
      }
    });
  }

  private void observe(String method, String route, ServerResponse res, long start) {
    try {
      observer.answered(method, route, res.status().code(), System.nanoTime() - start);
    } catch (RuntimeException e) {
      LOG.warn("request metrics failed: {}", e.toString());
    }
  }

  /**
   * Requests no route took: HEAD of a GET route is answered as that GET without a body; another
   * method on a registered path is 405 with {@code Allow}; anything else 404. The method and path
   * are not echoed (they are attacker-chosen).
   */
  private void unrouted(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    List<Route> onPath =
        routes.stream().filter(route -> pathPattern(route.path()).matcher(path).matches()).toList();
    String method = req.prologue().method().text();
    if (method.equals("HEAD")) {
      Optional<Route> get =
          onPath.stream().filter(route -> route.method().equals("GET")).findFirst();
      if (get.isPresent()) {
        serve(get.get(), paramNames(get.get().path()), req, res);
        return;
      }
    }
    if (!onPath.isEmpty()) {
      res.header(
          "Allow",
          String.join(", ", onPath.stream().map(Route::method).distinct().sorted().toList()));
      send(
          res,
          405,
          Problems.MEDIA_TYPE,
          Problems.body(
              List.of(
                  Problem.of(
                      CommonProblem.METHOD_NOT_ALLOWED,
                      "this route does not accept the method; see the Allow header"))));
      return;
    }
    send(
        res,
        404,
        Problems.MEDIA_TYPE,
        Problems.body(List.of(Problem.of(CommonProblem.NOT_FOUND, "no such route"))));
  }

  private static Pattern pathPattern(String template) {
    StringBuilder regex = new StringBuilder();
    Matcher matcher = PARAM.matcher(template);
    int last = 0;
    while (matcher.find()) {
      regex.append(Pattern.quote(template.substring(last, matcher.start()))).append("[^/]+");
      last = matcher.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    return Pattern.compile(regex.toString());
  }

  private void serve(Route route, List<String> names, ServerRequest req, ServerResponse res) {
    try {
      // open routes look the certificate up only when the handler asks (never, for attest)
      java.util.function.Supplier<Optional<Principal>> principal;
      if (route.access() == Access.OPEN) {
        principal = () -> authenticate(route, req);
      } else {
        Optional<Principal> authenticated = authenticate(route, req);
        principal = () -> authenticated;
      }
      if (route.guarded()) {
        // before the body is read: a noisy client costs as little as possible
        admission.checkRate(req.remotePeer().host());
      }
      byte[] body = readBody(route, req);
      Map<String, String> params = names.isEmpty() ? Map.of() : new java.util.LinkedHashMap<>();
      for (String name : names) {
        params.put(name, Inputs.pathParameter(name, req.path().pathParameters().get(name)));
      }
      String uri =
          req.requestedUri().path().rawPath()
              + (req.query().rawValue().isEmpty() ? "" : "?" + req.query().rawValue());
      Call call =
          new Call(
              principal,
              params,
              name ->
                  req.query()
                      .first(name)
                      .asOptional()
                      .map(value -> Inputs.queryParameter(name, value)),
              name -> req.headers().first(io.helidon.http.HeaderNames.create(name)),
              body,
              route.method(),
              uri);
      Reply reply;
      if (route.guarded()) {
        // the slot covers the appraisal only, not reading the body or writing the answer
        try (Admission.Permit permit = admission.enter()) {
          reply = route.handler().handle(call);
        }
      } else {
        reply = route.handler().handle(call);
      }
      reply.headers().forEach(res::header);
      if (reply.body() == null) {
        res.status(reply.status()).send();
      } else if (reply.body() instanceof byte[] bytes) {
        send(res, reply.status(), reply.contentType(), bytes);
      } else {
        send(res, reply.status(), reply.contentType(), reply.body());
      }
    } catch (Admission.Rejected e) {
      res.header("Retry-After", Long.toString(e.retryAfterSeconds()));
      ProblemException problem = e.problem();
      send(
          res,
          problem.problem().type().status(),
          Problems.MEDIA_TYPE,
          Problems.body(problem.problems()));
    } catch (ProblemException e) {
      if (e.problem().type().status() == 503) {
        res.header(
            "Retry-After",
            RETRY_AFTER_SECONDS); // a typed 503 is temporary (e.g. the transparency log is full)
      }
      send(res, e.problem().type().status(), Problems.MEDIA_TYPE, Problems.body(e.problems()));
    } catch (Exception e) {
      if (dev.arbiter.store.Database.isUnavailable(e)) {
        // e.g. a PostgreSQL failover in progress: temporary, the client retries
        LOG.warn(
            "{} {}: the database is unavailable ({})", route.method(), route.path(), e.toString());
        res.header("Retry-After", RETRY_AFTER_SECONDS);
        send(
            res,
            503,
            Problems.MEDIA_TYPE,
            Problems.body(
                List.of(
                    Problem.of(
                        CommonProblem.UNAVAILABLE,
                        "the database is unavailable (a failover in progress?); retry later"))));
        return;
      }
      LOG.error("{} {} failed", route.method(), route.path(), e);
      send(
          res,
          500,
          Problems.MEDIA_TYPE,
          Problems.body(
              List.of(
                  Problem.of(CommonProblem.INTERNAL_ERROR, "internal error; see the server log"))));
    }
  }

  private Optional<Principal> authenticate(Route route, ServerRequest req) {
    Optional<Certificate[]> certificates = req.remotePeer().tlsCertificates();
    Optional<Principal> principal = Optional.empty();
    if (certificates.isPresent()
        && certificates.get().length > 0
        && certificates.get()[0] instanceof X509Certificate leaf) {
      String fingerprint = Certificates.fingerprint(leaf);
      principal =
          roles
              .lookup(fingerprint)
              .map(entry -> new Principal(entry.name(), entry.role(), fingerprint));
      if (principal.isEmpty() && route.access() != Access.OPEN) {
        throw new ProblemException(
            CommonProblem.UNAUTHENTICATED,
            roles.isRevoked(fingerprint)
                ? "the client certificate was revoked"
                : "the client certificate is not mapped to a role in roles.json");
      }
    }
    if (route.access() == Access.OPEN) {
      return principal;
    }
    if (principal.isEmpty()) {
      throw new ProblemException(
          CommonProblem.UNAUTHENTICATED,
          "this route needs a client certificate issued by Arbiter's CA");
    }
    if (!route.access().allows(principal.get().role())) {
      throw new ProblemException(
          CommonProblem.FORBIDDEN,
          "role "
              + principal.get().role().id()
              + " may not call "
              + route.method()
              + " "
              + route.path());
    }
    return principal;
  }

  private static byte[] readBody(Route route, ServerRequest req) throws IOException {
    if (route.maxBody() <= 0) {
      return new byte[0];
    }
    long declared = req.headers().contentLength().orElse(-1L);
    if (declared > route.maxBody()) {
      throw new ProblemException(
          CommonProblem.BODY_TOO_LARGE, "request body exceeds " + route.maxBody() + " bytes");
    }
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    Optional<String> contentType = req.headers().contentType().map(type -> type.mediaType().text());
    boolean json = route.consumes().equals(Route.JSON);
    if (contentType.isPresent()
        && !contentType.get().equals(route.consumes())
        && !(json && contentType.get().endsWith("+json"))) {
      throw new ProblemException(
          CommonProblem.UNSUPPORTED_MEDIA_TYPE,
          "send " + route.consumes() + ", not " + contentType.get());
    }
    try (InputStream in = req.content().inputStream()) {
      // a declared length (within the limit, checked above) is read into one array of that size;
      // asking for the limit instead made readNBytes allocate a 16 KiB buffer and copy out of it,
      // a third of all the bytes an attestation allocated (JFR, docs/benchmarks.md, session 8)
      byte[] bytes =
          in.readNBytes(
              declared >= 0
                  ? (int) declared
                  : (int) Math.min(Integer.MAX_VALUE - 8, route.maxBody() + 1));
      if (bytes.length > route.maxBody()) {
        throw new ProblemException(
            CommonProblem.BODY_TOO_LARGE, "request body exceeds " + route.maxBody() + " bytes");
      }
      return bytes;
    }
  }

  private static void send(ServerResponse res, int status, String contentType, Object body) {
    byte[] bytes;
    try {
      // straight to UTF-8 bytes: no intermediate String
      bytes = body instanceof byte[] raw ? raw : Json.mapper().writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new java.io.UncheckedIOException(e);
    }
    res.status(status);
    if (contentType != null) {
      res.header("Content-Type", contentType);
    }
    res.header("Cache-Control", "no-store");
    res.send(bytes);
  }

  static List<String> paramNames(String path) {
    List<String> names = new java.util.ArrayList<>();
    Matcher matcher = PARAM.matcher(path);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }
}
