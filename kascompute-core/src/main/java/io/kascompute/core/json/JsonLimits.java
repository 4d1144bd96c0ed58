package io.kascompute.core.json;

/**
 * Limits applied while reading untrusted JSON.
 *
 * @param maxBytes the largest accepted document, in bytes
 * @param maxDepth the deepest accepted nesting of arrays and objects (the root container is depth
 *     1), at most {@value #MAX_DEPTH} so that reading and writing never exhaust a thread's stack
 */
public record JsonLimits(int maxBytes, int maxDepth) {
  /** The default: documents up to 1 MiB, nesting up to 64. */
  public static final JsonLimits DEFAULT = new JsonLimits(1 << 20, 64);

  /** The largest depth limit that can be configured. */
  public static final int MAX_DEPTH = 1000;

  /** Validates the limits. */
  public JsonLimits {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    if (maxDepth < 1 || maxDepth > MAX_DEPTH) {
      throw new IllegalArgumentException("maxDepth must be in 1.." + MAX_DEPTH + ": " + maxDepth);
    }
  }

  /** These limits with another byte limit. */
  public JsonLimits withMaxBytes(int bytes) {
    return new JsonLimits(bytes, maxDepth);
  }

  /** These limits with another depth limit. */
  public JsonLimits withMaxDepth(int depth) {
    return new JsonLimits(maxBytes, depth);
  }
}
