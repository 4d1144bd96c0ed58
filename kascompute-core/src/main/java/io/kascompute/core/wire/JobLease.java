package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;

/**
 * A leased plain job: {@code {id, work_units, lease_expires_unix, lease_epoch}}; {@code id}, {@code
 * work_units} and the times are unsigned 64-bit integers held in {@code long}s. {@code lease_epoch}
 * is an SDK extension that V1 clients ignore.
 */
public record JobLease(long id, long workUnits, long leaseExpiresUnix, long leaseEpoch)
    implements WireResponse {
  @Override
  public void writeTo(JsonWriter w) {
    w.raw('{').key("id").unsigned(id);
    w.raw(',').key("work_units").unsigned(workUnits);
    w.raw(',').key("lease_expires_unix").unsigned(leaseExpiresUnix);
    w.raw(',').key("lease_epoch").unsigned(leaseEpoch).raw('}');
  }
}
