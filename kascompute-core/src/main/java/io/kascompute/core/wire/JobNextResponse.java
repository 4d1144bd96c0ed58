package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import java.util.Objects;
import java.util.Optional;

/** The answer to {@code POST /v1/jobs/next}: {@code {job: {...} | null}}. */
public record JobNextResponse(Optional<JobLease> job) implements WireResponse {
  /** Checks that the option is not null. */
  public JobNextResponse {
    Objects.requireNonNull(job, "job");
  }

  @Override
  public void writeTo(JsonWriter w) {
    w.raw('{').key("job");
    if (job.isPresent()) {
      job.get().writeTo(w);
    } else {
      w.raw("null");
    }
    w.raw('}');
  }
}
