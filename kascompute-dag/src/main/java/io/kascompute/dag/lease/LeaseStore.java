package io.kascompute.dag.lease;

import io.kascompute.core.DagId;
import io.kascompute.core.NodeId;
import io.kascompute.core.RunId;
import io.kascompute.core.TaskId;
import io.kascompute.dag.ComputeDag;
import io.kascompute.dag.ledger.AcceptedProof;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The lease-store SPI: where a coordinator keeps DAG definitions, runs, task states, leases and
 * each run's ready queue. Host applications implement it to put run state in their own storage;
 * the SDK ships an in-memory store (the default) and a PostgreSQL store.
 *
 * <h2>Contract</h2>
 *
 * Every method is atomic and thread-safe: its effects happen all at once or not at all, also when
 * several coordinator processes share one store. The abstract {@code LeaseStoreContract} test in
 * {@code kascompute-testkit} checks every rule below; a store is correct when it passes.
 *
 * <ul>
 *   <li><b>Task states.</b> {@code PENDING -> READY -> RUNNING -> COMPLETED}, plus {@code FAILED}.
 *       When a run is created its roots (tasks with no dependencies) are {@code READY}, enqueued
 *       in code-point order of their task ids; every other task is {@code PENDING}.
 *   <li><b>Grant.</b> {@link #next} first reclaims every lease of the run whose expiry is at or
 *       before {@code now}: such a task goes back to {@code READY} at the tail of the queue, or
 *       becomes {@code FAILED} if it has used {@link LeasePolicy#maxAttempts()} attempts; several
 *       leases reclaimed by one call are enqueued in order of expiry, ties in code-point order of
 *       task ids. A reclaimed task keeps its last owner and epoch until it is granted again. It then
 *       grants the head of the queue to the node: state {@code RUNNING}, owner the node, expiry
 *       {@code now + leaseDuration}, attempts + 1, and the task's lease epoch + 1 (the fencing
 *       token; the first grant has epoch 1).
 *   <li><b>Renew.</b> Only the owner, only with the current epoch when one is given, only while
 *       {@code now} is strictly before the expiry; it sets the expiry to {@code now +
 *       leaseDuration}. A lease whose expiry equals {@code now} has expired.
 *   <li><b>Complete.</b> Accepted from the node holding the current epoch (when an epoch is given
 *       it must equal the current one; without one the node must be the last owner) while the
 *       task is {@code RUNNING} (expired or not), or {@code READY} because its expired lease was
 *       reclaimed but nobody has been granted it since. The task becomes {@code COMPLETED} forever,
 *       its lease is cleared, and each dependent whose dependencies are now all completed becomes
 *       {@code READY}, enqueued in code-point order of task ids. Completing an already completed
 *       task with the same proof hash returns the first answer again, marked as a repeat, and
 *       unlocks nothing; with another proof hash it is refused.
 *   <li><b>Fail.</b> The owner may report failure under the same conditions as completion; the
 *       task goes back to {@code READY} at the tail (a reclaimed task already in the queue keeps
 *       its place), or becomes {@code FAILED} once its attempts are used up; either way the node's
 *       claim ends, so a later completion or renewal from it is refused ({@code
 *       TASK_NOT_RUNNING} until the task is granted again). Dependents of a failed task never
 *       run.
 *   <li><b>Run status.</b> A run is {@code COMPLETED} when every task completed, {@code FAILED}
 *       when some task failed and no task is ready or running, otherwise {@code RUNNING}. A
 *       finished run refuses grants with {@link io.kascompute.core.ErrorCode#RUN_FINISHED}; for a
 *       run that is merely out of ready tasks {@link #next} returns empty.
 *   <li><b>Refusals.</b> Every refusal throws {@link io.kascompute.core.KasComputeException} with
 *       one of: {@code UNKNOWN_DAG}, {@code UNKNOWN_RUN}, {@code UNKNOWN_TASK}, {@code
 *       STALE_LEASE} (an epoch was given and it is not the current one, whoever holds the task
 *       now), {@code NOT_OWNER} (another node holds or last held the lease), {@code
 *       LEASE_EXPIRED} (renewing at or after expiry, also after the lease was reclaimed), {@code
 *       TASK_NOT_RUNNING} (pending, failed, or ready without a reclaimed lease of this node),
 *       {@code ALREADY_COMPLETED} (completed with another proof, or renew/fail of a completed
 *       task), {@code RUN_FINISHED}, and last {@code REPLAYED_PROOF} (a completion whose proof
 *       identity the set's record already holds for another task or job: a proof is credited
 *       once). Checks run in that order; {@code STALE_LEASE} and {@code
 *       NOT_OWNER} only concern a task that has been granted at least once (the last owner is
 *       remembered through reclaim, failure and completion), so any call on a never-granted task
 *       gets {@code TASK_NOT_RUNNING}. A repeated identical completion passes the same checks
 *       and is not refused because the run has finished. A refusal applies nothing; {@link
 *       #next} checks {@code RUN_FINISHED} before it reclaims, so a reclaim that finishes the
 *       run returns empty. A store failure throws {@code STORE_UNAVAILABLE} and applies
 *       nothing.
 *   <li><b>Time.</b> {@code now} is passed in by the caller from its injected clock; a store never
 *       reads the wall clock for lease decisions unless it documents that it uses its database's
 *       clock instead.
 * </ul>
 */
public interface LeaseStore {

  /**
   * Stores a DAG definition under its id ({@link ComputeDag#id()}); storing the same DAG again is
   * a no-op. A store bounds the DAG tasks it holds ({@link StoreLimits#maxDagTasks()}): to make
   * room it may delete DAGs that no kept run uses, oldest first.
   *
   * @throws io.kascompute.core.KasComputeException {@code STORE_FULL} if the DAG does not fit
   */
  void putDag(ComputeDag dag);

  /** The DAG stored under {@code id}, if any. */
  Optional<ComputeDag> dag(DagId id);

  /**
   * Creates a run of a stored DAG and returns its id, {@code run-<dag_id>-<seq>} with a sequence
   * number unique within the store. To keep within its {@link StoreLimits} the store first deletes
   * the oldest finished runs as needed.
   *
   * @throws io.kascompute.core.KasComputeException {@code UNKNOWN_DAG} if no such DAG is stored;
   *     {@code TOO_MANY_RUNS} if the live runs of the DAG, or in all, are at their bound; {@code
   *     STORE_FULL} if the run does not fit even after deleting every finished run
   */
  RunId createRun(DagId dag, Instant now);

  /**
   * Deletes a finished run and everything the store keeps about it (its accepted proofs stay in
   * the record).
   *
   * @return false if no such run exists
   * @throws io.kascompute.core.KasComputeException {@code RUN_NOT_FINISHED} if the run is still
   *     running
   */
  boolean deleteRun(RunId run);

  /**
   * Grants the head of the run's ready queue to {@code node}, after reclaiming expired leases.
   *
   * @return the grant, or empty if no task is ready
   */
  Optional<TaskGrant> next(RunId run, NodeId node, Instant now, LeasePolicy policy);

  /**
   * Extends the node's lease on a task to {@code now + policy.leaseDuration()}.
   *
   * @param epoch the lease epoch the node holds, if it sent one
   */
  TaskRenewal renew(
      RunId run, TaskId task, NodeId node, OptionalLong epoch, Instant now, LeasePolicy policy);

  /**
   * Completes a task with an already verified proof, records the proof in the store's {@link
   * io.kascompute.dag.ledger.ProofLedger} in the same atomic step, and unlocks the dependents that
   * become ready. A repeat is recognised by the proof's identity ({@link
   * AcceptedProof#proofHash()}).
   *
   * @param epoch the lease epoch the node holds, if it sent one
   */
  TaskCompletion complete(
      RunId run, TaskId task, NodeId node, OptionalLong epoch, AcceptedProof proof, Instant now);

  /**
   * Records that the node failed the task; it is retried or, with its attempts used up, failed.
   *
   * @param epoch the lease epoch the node holds, if it sent one
   */
  TaskFailure fail(
      RunId run, TaskId task, NodeId node, OptionalLong epoch, Instant now, LeasePolicy policy);

  /** The run's counts and state, if the run exists. */
  Optional<RunStatus> status(RunId run);

  /**
   * Up to {@code limit} tasks of a run in task-index (code-point) order, after the task {@code
   * after}.
   *
   * @throws io.kascompute.core.KasComputeException {@code UNKNOWN_RUN}, or {@code UNKNOWN_TASK}
   *     for an {@code after} the run does not have
   */
  List<TaskLeaseState> tasks(RunId run, Optional<TaskId> after, int limit);

  /** Up to {@code limit} stored DAGs in id order, after {@code after}. */
  List<DagSummary> dags(Optional<DagId> after, int limit);
}
