package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;

/**
 * The answer to {@code GET /v1/dashboard/overview}: activity, verification share and totals over
 * the metrics window, for a dashboard. {@code verification_share} is the fraction of the window's
 * accepted proofs whose signature verified (1.0 when there were none).
 */
public record DashboardOverview(
    long timestamp,
    long windowSec,
    long activeNodes90s,
    long activeMiners90s,
    long nodesOnline,
    long proofsWindow,
    long verifiedProofsWindow,
    long jobsCompletedWindow,
    long tasksCompletedWindow,
    long workUnitsWindow,
    long nodesTotal,
    long pinnedKeysTotal,
    long proofsTotal,
    JobsSummary jobs)
    implements WireResponse {

  /** The share of the window's proofs that verified, from 0.0 to 1.0. */
  public double verificationShare() {
    return proofsWindow == 0 ? 1.0 : (double) verifiedProofsWindow / proofsWindow;
  }

  /** Reads the {@code data} of an ok envelope. */
  public static DashboardOverview fromJson(JsonObject o) {
    return new DashboardOverview(Fields.u64(o, "timestamp"), Fields.u64(o, "window_sec"),
        Fields.u64(o, "active_nodes_90s"), Fields.u64(o, "active_miners_90s"),
        Fields.u64(o, "nodes_online"), Fields.u64(o, "proofs_window"),
        Fields.u64(o, "verified_proofs_window"), Fields.u64(o, "jobs_completed_window"),
        Fields.u64(o, "tasks_completed_window"), Fields.u64(o, "work_units_window"),
        Fields.u64(o, "nodes_total"), Fields.u64(o, "pinned_keys_total"),
        Fields.u64(o, "proofs_total"), JobsSummary.fromJson(Fields.objectField(o, "jobs")));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(512);
    w.raw('{').key("window_sec").unsigned(windowSec);
    w.raw(',').key("timestamp").unsigned(timestamp);
    w.raw(',').key("active_nodes_90s").unsigned(activeNodes90s);
    w.raw(',').key("active_miners_90s").unsigned(activeMiners90s);
    w.raw(',').key("nodes_online").unsigned(nodesOnline);
    w.raw(',').key("proofs_window").unsigned(proofsWindow);
    w.raw(',').key("verified_proofs_window").unsigned(verifiedProofsWindow);
    w.raw(',').key("verification_share").raw(MetricsResponse.decimal(verificationShare()));
    w.raw(',').key("jobs_completed_window").unsigned(jobsCompletedWindow);
    w.raw(',').key("tasks_completed_window").unsigned(tasksCompletedWindow);
    w.raw(',').key("work_units_window").unsigned(workUnitsWindow);
    w.raw(',').key("nodes_total").unsigned(nodesTotal);
    w.raw(',').key("pinned_keys_total").unsigned(pinnedKeysTotal);
    w.raw(',').key("proofs_total").unsigned(proofsTotal);
    byte[] j = jobs.toJson();
    w.raw(',').key("jobs").raw(j, 0, j.length);
    return w.raw('}').toByteArray();
  }
}
