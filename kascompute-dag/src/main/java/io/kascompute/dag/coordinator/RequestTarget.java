package io.kascompute.dag.coordinator;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.wire.PathSegments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request target split into percent-decoded path segments and query parameters (RFC 3986:
 * {@code %XX} escapes decoded as UTF-8, {@code +} kept as is). One trailing {@code /} is ignored;
 * a parameter named twice keeps its first value.
 */
record RequestTarget(List<String> segments, Map<String, String> query) {
  /** Targets longer than this are refused before they are parsed. */
  static final int MAX_LENGTH = 8192;

  /**
   * Parses a raw target such as {@code /v1/runs/run-a%2Fb/tasks?limit=10}.
   *
   * @throws KasComputeException {@code not_found} if it does not start with {@code /}, is too
   *     long, holds a malformed escape, or decodes to invalid UTF-8
   */
  static RequestTarget parse(String target) {
    if (target.length() > MAX_LENGTH) {
      throw new KasComputeException(ErrorCode.NOT_FOUND, "the request target is longer than "
          + MAX_LENGTH + " characters");
    }
    int q = target.indexOf('?');
    String p = q >= 0 ? target.substring(0, q) : target;
    if (!p.startsWith("/")) {
      throw new KasComputeException(ErrorCode.NOT_FOUND, "path must start with /");
    }
    if (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    List<String> out = new ArrayList<>();
    int start = 1;
    while (start <= p.length()) {
      int end = p.indexOf('/', start);
      if (end < 0) {
        end = p.length();
      }
      out.add(decode(p.substring(start, end)));
      start = end + 1;
    }
    Map<String, String> query = new HashMap<>();
    if (q >= 0) {
      for (String pair : target.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        query.putIfAbsent(name, value);
      }
    }
    return new RequestTarget(List.copyOf(out), Map.copyOf(query));
  }

  /** A query parameter's text. */
  Optional<String> param(String name) {
    return Optional.ofNullable(query.get(name));
  }

  /**
   * A query parameter as an unsigned decimal integer.
   *
   * @throws KasComputeException {@code field_out_of_range} if it is not one
   */
  OptionalLong u64(String name) {
    Optional<String> v = param(name);
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    String s = v.get();
    if (s.isEmpty() || s.length() > 20 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new KasComputeException(
          ErrorCode.FIELD_OUT_OF_RANGE, "query parameter " + name + " must be an unsigned integer");
    }
    try {
      return OptionalLong.of(Long.parseUnsignedLong(s));
    } catch (NumberFormatException e) {
      throw new KasComputeException(
          ErrorCode.FIELD_OUT_OF_RANGE, "query parameter " + name + " is above 2^64-1");
    }
  }

  private static String decode(String segment) {
    return PathSegments.decode(segment);
  }
}
