package io.kascompute.dag.coordinator;

/**
 * The coordinator's admission bounds for what nodes send and what it stores: every stored string
 * and JSON value has one, so that no client can make the coordinator hold more than a bounded
 * amount per node, per job and per request. Values beyond a bound are refused with {@code
 * value_too_large} (or {@code invalid_id} for ids), before anything is verified or stored.
 *
 * @param maxIdLength node ids and miner ids, in UTF-16 units (default 256)
 * @param allowControlCharactersInIds whether ids may hold control characters U+0000..U+001F and
 *     U+007F, and be empty — deployed V1 accepts both; the default refuses them ({@code
 *     invalid_id})
 * @param maxClientVersionLength {@code client_version} and {@code workload_mode}, UTF-16 units
 *     (default 128)
 * @param maxRoles roles per heartbeat (default 8), each at most {@code maxRoleLength} (default 32)
 * @param maxComputeProfileBytes the canonical size of {@code compute_profile} (default 4096)
 * @param defaultPageSize items a read view answers without {@code ?limit=} (default 100)
 * @param maxPageSize the largest {@code ?limit=} (default 1000)
 */
public record CoordinatorLimits(
    int maxIdLength,
    boolean allowControlCharactersInIds,
    int maxClientVersionLength,
    int maxRoles,
    int maxRoleLength,
    int maxComputeProfileBytes,
    int defaultPageSize,
    int maxPageSize) {

  /** The defaults. */
  public static final CoordinatorLimits DEFAULT =
      new CoordinatorLimits(256, false, 128, 8, 32, 4096, 100, 1000);

  /** Validates the bounds. */
  public CoordinatorLimits {
    if (maxIdLength < 1 || maxClientVersionLength < 1 || maxRoles < 1 || maxRoleLength < 1
        || maxComputeProfileBytes < 2 || defaultPageSize < 1 || maxPageSize < defaultPageSize) {
      throw new IllegalArgumentException("coordinator limits must be positive");
    }
  }

  /** These limits with control characters and empty ids allowed or refused. */
  public CoordinatorLimits withControlCharactersInIds(boolean allow) {
    return new CoordinatorLimits(maxIdLength, allow, maxClientVersionLength, maxRoles,
        maxRoleLength, maxComputeProfileBytes, defaultPageSize, maxPageSize);
  }
}
