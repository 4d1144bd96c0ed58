package io.kascompute.dag.directory;

/**
 * Presence figures at one instant, the same on every coordinator of a store.
 *
 * @param activeNodes nodes whose latest heartbeat with the {@code node} role lies within the
 *     activity period (V1's {@code active_nodes_90s})
 * @param activeMiners the same for the {@code miner} role
 * @param online nodes whose latest heartbeat lies within the online TTL
 * @param known every node id the directory holds
 * @param pinned node ids with a pinned key
 */
public record PresenceCounts(long activeNodes, long activeMiners, long online, long known, long pinned) {}
