package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import java.util.List;
import java.util.Objects;

/**
 * The answer to an accepted task proof: V1's {@code {status:"accepted", run_id, task_id,
 * unlocked_ready}} where {@code unlocked_ready} is the NUMBER of dependents that became ready, plus
 * the SDK extensions {@code unlocked_task_ids} (those dependents in enqueue order), {@code
 * proof_hash} (the payload digest), {@code signature_verified} and {@code repeat} (true when the
 * same proof had already completed the task and nothing changed).
 */
public record TaskProofAccepted(
    String runId,
    String taskId,
    List<String> unlockedTaskIds,
    String proofHash,
    boolean signatureVerified,
    boolean repeat)
    implements WireResponse {

  /** Copies the list and checks that nothing is null. */
  public TaskProofAccepted {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    unlockedTaskIds = List.copyOf(unlockedTaskIds);
    Objects.requireNonNull(proofHash, "proofHash");
  }

  /** The V1 {@code unlocked_ready} count. */
  public int unlockedReady() {
    return unlockedTaskIds.size();
  }

  @Override
  public void writeTo(JsonWriter w) {
    w.raw("{\"status\":\"accepted\"");
    w.raw(',').key("run_id").string(runId);
    w.raw(',').key("task_id").string(taskId);
    w.raw(',').key("unlocked_ready").unsigned(unlockedTaskIds.size());
    w.raw(',').key("unlocked_task_ids").raw('[');
    for (int i = 0; i < unlockedTaskIds.size(); i++) {
      if (i > 0) {
        w.raw(',');
      }
      w.string(unlockedTaskIds.get(i));
    }
    w.raw(']');
    w.raw(',').key("proof_hash").string(proofHash);
    w.raw(',').key("signature_verified").raw(signatureVerified ? "true" : "false");
    w.raw(',').key("repeat").raw(repeat ? "true" : "false").raw('}');
  }
}
