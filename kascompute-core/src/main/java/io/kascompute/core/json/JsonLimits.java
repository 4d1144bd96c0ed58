package io.kascompute.core.json;

/**
 * Limits applied while reading untrusted JSON.
 *
 * @param maxBytes the largest accepted document, in bytes
 * @param maxDepth the deepest accepted nesting of arrays and objects (the root container is depth 1)
 */
public record JsonLimits(int maxBytes, int maxDepth) {
  /** The default: documents up to 1 MiB, nesting up to 64. */
  public static final JsonLimits DEFAULT = new JsonLimits(1 << 20, 64);

  /** Validates the limits. */
  public JsonLimits {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    if (maxDepth < 1 || maxDepth > 10_000) {
      throw new IllegalArgumentException("maxDepth must be in 1..10000: " + maxDepth);
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
