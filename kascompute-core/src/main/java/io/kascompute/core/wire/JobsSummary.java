package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;

/** The answer to {@code GET /v1/jobs/summary}: {@code {pending, running, completed, expired, total}}. */
public record JobsSummary(long pending, long running, long completed, long expired)
    implements WireResponse {

  /** All jobs the coordinator knows (retained). */
  public long total() {
    return pending + running + completed + expired;
  }

  /** Reads the {@code data} of an ok envelope. */
  public static JobsSummary fromJson(JsonObject o) {
    return new JobsSummary(Fields.u64(o, "pending"), Fields.u64(o, "running"),
        Fields.u64(o, "completed"), Fields.u64(o, "expired"));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(128);
    w.raw('{').key("pending").unsigned(pending);
    w.raw(',').key("running").unsigned(running);
    w.raw(',').key("completed").unsigned(completed);
    w.raw(',').key("expired").unsigned(expired);
    w.raw(',').key("total").unsigned(total()).raw('}');
    return w.toByteArray();
  }
}
