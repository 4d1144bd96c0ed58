package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/** The answer to {@code POST /v1/jobs/next}: {@code {job: {...} | null}}. */
public record JobNextResponse(Optional<JobLease> job) implements WireResponse {
  /** Checks that the option is not null. */
  public JobNextResponse {
    Objects.requireNonNull(job, "job");
  }

  /** Reads the {@code data} of an ok envelope. */
  public static JobNextResponse fromJson(JsonObject data) {
    if (!data.members().containsKey("job")) {
      throw Fields.missing("job");
    }
    return new JobNextResponse(Fields.get(data, "job")
        .map(v -> JobLease.fromJson(Fields.object(v, "field job"))));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(128).raw('{').key("job");
    WireJson.optionalObject(w, job);
    return w.raw('}').toByteArray();
  }
}
