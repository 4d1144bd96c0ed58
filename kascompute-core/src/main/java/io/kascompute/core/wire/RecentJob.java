package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One job in {@code GET /v1/jobs/recent} (most recently changed first): the job's fields as in
 * {@link JobView} plus {@code proofs}, the accepted proofs that completed it (at most one).
 */
public record RecentJob(JobView job, List<ProofView> proofs) implements WireResponse {
  /** Copies the list and checks that nothing is null. */
  public RecentJob {
    Objects.requireNonNull(job, "job");
    proofs = List.copyOf(proofs);
  }

  /** Reads one element of the {@code data} array. */
  public static RecentJob fromJson(JsonObject o) {
    return new RecentJob(JobView.fromJson(o),
        WireJson.objects(Fields.get(o, "proofs").orElseThrow(() -> Fields.missing("proofs")),
            "proofs", ProofView::fromJson));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(512);
    job.writeFields(w);
    byte[] p = WireJson.array(proofs);
    w.raw(',').key("proofs").raw(p, 0, p.length);
    return w.raw('}').toByteArray();
  }
}
