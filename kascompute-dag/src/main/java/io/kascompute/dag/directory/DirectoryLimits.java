package io.kascompute.dag.directory;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of a node directory.
 *
 * @param maxPinned node ids with a pinned key (default 1,000,000); a new pin beyond it is refused
 *     with {@code DIRECTORY_FULL}
 * @param maxUnpinned node ids that only claim a key (default 100,000); a new one beyond it is
 *     refused with {@code DIRECTORY_FULL}, unless an unpinned id past its retention can be
 *     forgotten first
 * @param unpinnedRetention how long an unpinned id not seen again is kept (default 24 h)
 * @param maxRotations rotations kept per node (default 16); a node that used them up needs an
 *     operator rotation, which drops the oldest
 */
public record DirectoryLimits(
    int maxPinned, int maxUnpinned, Duration unpinnedRetention, int maxRotations) {

  /** The defaults. */
  public static final DirectoryLimits DEFAULT =
      new DirectoryLimits(1_000_000, 100_000, Duration.ofHours(24), 16);

  /** Validates the bounds. */
  public DirectoryLimits {
    Objects.requireNonNull(unpinnedRetention, "unpinnedRetention");
    if (maxPinned < 1 || maxUnpinned < 0 || maxRotations < 1
        || unpinnedRetention.isNegative() || unpinnedRetention.isZero()) {
      throw new IllegalArgumentException("directory limits must be positive");
    }
  }
}
