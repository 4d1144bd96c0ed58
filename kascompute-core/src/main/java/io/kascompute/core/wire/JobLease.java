package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;

/**
 * A job leased to a node, as {@code /v1/jobs/next} answers it: {@code {id, work_units,
 * lease_expires_unix, lease_epoch (SDK)}}; {@code id} and {@code work_units} are unsigned 64-bit.
 */
public record JobLease(long id, long workUnits, long leaseExpiresUnix, long leaseEpoch)
    implements WireResponse {

  /** Reads a {@code job} object. */
  public static JobLease fromJson(JsonObject o) {
    return new JobLease(Fields.u64(o, "id"), Fields.u64(o, "work_units"),
        Fields.u64(o, "lease_expires_unix"), Fields.optionalU64(o, "lease_epoch").orElse(0));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(96);
    w.raw('{').key("id").unsigned(id);
    w.raw(',').key("work_units").unsigned(workUnits);
    w.raw(',').key("lease_expires_unix").unsigned(leaseExpiresUnix);
    w.raw(',').key("lease_epoch").unsigned(leaseEpoch).raw('}');
    return w.toByteArray();
  }
}
