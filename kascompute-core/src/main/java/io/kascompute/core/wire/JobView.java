package io.kascompute.core.wire;

import io.kascompute.core.NodeId;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One job in {@code GET /v1/jobs}: {@code {id, work_units, status, assigned_to, assigned_unix,
 * lease_expires_unix, completed_unix, attempts, lease_epoch}}; absent times are {@code null}.
 */
public record JobView(
    long id,
    long workUnits,
    JobState status,
    Optional<NodeId> assignedTo,
    OptionalLong assignedUnix,
    OptionalLong leaseExpiresUnix,
    OptionalLong completedUnix,
    int attempts,
    long leaseEpoch)
    implements WireResponse {

  /** Checks that nothing is null. */
  public JobView {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(assignedTo, "assignedTo");
    Objects.requireNonNull(assignedUnix, "assignedUnix");
    Objects.requireNonNull(leaseExpiresUnix, "leaseExpiresUnix");
    Objects.requireNonNull(completedUnix, "completedUnix");
  }

  /** Reads one element of the {@code data} array. */
  public static JobView fromJson(JsonObject o) {
    return new JobView(Fields.u64(o, "id"), Fields.u64(o, "work_units"),
        JobState.fromWireName(Fields.string(o, "status")),
        Fields.optionalString(o, "assigned_to").map(NodeId::of),
        Fields.optionalU64(o, "assigned_unix"), Fields.optionalU64(o, "lease_expires_unix"),
        Fields.optionalU64(o, "completed_unix"), Fields.count(o, "attempts"),
        Fields.optionalU64(o, "lease_epoch").orElse(0));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(256);
    writeFields(w);
    return w.raw('}').toByteArray();
  }

  /** Writes {@code {<fields>} without the closing brace (for views that extend a job). */
  void writeFields(JsonWriter w) {
    w.raw('{').key("id").unsigned(id);
    w.raw(',').key("work_units").unsigned(workUnits);
    w.raw(',').key("status").string(status.wireName());
    WireJson.stringOrNull(w, "assigned_to", assignedTo.map(NodeId::value));
    WireJson.u64OrNull(w, "assigned_unix", assignedUnix);
    WireJson.u64OrNull(w, "lease_expires_unix", leaseExpiresUnix);
    WireJson.u64OrNull(w, "completed_unix", completedUnix);
    w.raw(',').key("attempts").unsigned(attempts);
    w.raw(',').key("lease_epoch").unsigned(leaseEpoch);
  }
}
