package io.kascompute.dag.coordinator;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The coordinator's route table: method, path pattern and handler per endpoint. Patterns are
 * {@code /}-separated segments where {@code {name}} matches any one segment; a literal segment
 * wins over a parameter at the same place. A path that matches no pattern answers {@code
 * not_found}; one that matches only with other methods answers {@code method_not_allowed}.
 */
final class Router {
  /** What a route does with a matched request. */
  @FunctionalInterface
  interface Handler {
    Answer handle(Call call);
  }

  /** One row of the table. */
  record Route(String method, String pattern, List<String> segments, Handler handler) {}

  /** A matched request: the route's parameters by name, the target and the rest of the request. */
  record Call(
      Map<String, String> params, RequestTarget target, byte[] body, Optional<String> remote) {
    String param(String name) {
      return params.get(name);
    }
  }

  private final List<Route> routes = new ArrayList<>();

  /** Adds a route; earlier literal routes and later ones are matched alike (most literal wins). */
  Router add(String method, String pattern, Handler handler) {
    List<String> segs = List.of(pattern.substring(1).split("/"));
    routes.add(new Route(method, pattern, segs, handler));
    return this;
  }

  /** The routes, for documentation tests. */
  List<Route> routes() {
    return List.copyOf(routes);
  }

  /**
   * Finds the route for a request and calls it.
   *
   * @throws KasComputeException {@code not_found} or {@code method_not_allowed}
   */
  Answer dispatch(String method, RequestTarget target, byte[] body, Optional<String> remote) {
    String m = method.toUpperCase(Locale.ROOT);
    Route best = null;
    int bestLiterals = -1;
    Set<String> allowed = new TreeSet<>();
    for (Route r : routes) {
      int literals = match(r.segments(), target.segments());
      if (literals < 0) {
        continue;
      }
      if (!r.method().equals(m)) {
        allowed.add(r.method());
        continue;
      }
      if (literals > bestLiterals) {
        best = r;
        bestLiterals = literals;
      }
    }
    if (best == null) {
      if (!allowed.isEmpty()) {
        throw new KasComputeException(ErrorCode.METHOD_NOT_ALLOWED,
            "this endpoint takes " + String.join(" or ", allowed) + ", not " + m);
      }
      throw new KasComputeException(ErrorCode.NOT_FOUND, "no endpoint at this path");
    }
    Map<String, String> params = new java.util.HashMap<>();
    for (int i = 0; i < best.segments().size(); i++) {
      String s = best.segments().get(i);
      if (s.startsWith("{")) {
        params.put(s.substring(1, s.length() - 1), target.segments().get(i));
      }
    }
    return best.handler().handle(new Call(Map.copyOf(params), target, body, remote));
  }

  /** The number of literal segments matched, or -1 if the pattern does not match. */
  private static int match(List<String> pattern, List<String> path) {
    if (pattern.size() != path.size()) {
      return -1;
    }
    int literals = 0;
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      if (p.startsWith("{")) {
        continue;
      }
      if (!p.equals(path.get(i))) {
        return -1;
      }
      literals++;
    }
    return literals;
  }
}
