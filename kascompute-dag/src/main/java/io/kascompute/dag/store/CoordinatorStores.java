package io.kascompute.dag.store;

import io.kascompute.dag.directory.DirectoryLimits;
import io.kascompute.dag.directory.NodeDirectory;
import io.kascompute.dag.internal.InMemoryJobStore;
import io.kascompute.dag.internal.InMemoryLeaseStore;
import io.kascompute.dag.internal.InMemoryNodeDirectory;
import io.kascompute.dag.internal.InMemoryProofLedger;
import io.kascompute.dag.jobs.JobStore;
import io.kascompute.dag.lease.LeaseStore;
import io.kascompute.dag.lease.StoreLimits;
import io.kascompute.dag.ledger.ProofLedger;
import java.util.Objects;

/**
 * Everything a coordinator remembers, as one set of stores that belong together: DAGs, runs and
 * task leases; node identity and presence; plain jobs; and the record of accepted proofs, which
 * the job and lease stores append to atomically with each completion. Every coordinator that
 * shares a set (several processes on one database) sees one state.
 *
 * <p>{@link #inMemory()} is the default for a single process (lost on restart); {@code
 * io.kascompute.dag.jdbc.JdbcStores} puts the whole set on PostgreSQL. A host with storage of its
 * own implements the four SPIs together and passes them to {@link #of}; the contract kits in
 * {@code kascompute-testkit} check them.
 */
public final class CoordinatorStores implements AutoCloseable {
  /** Accepted proofs the in-memory record keeps for its views by default. */
  public static final int DEFAULT_RETAINED_PROOFS = 100_000;

  /** Finished jobs the in-memory job store remembers by default. */
  public static final int DEFAULT_RETAINED_JOBS = 100_000;

  /** Entries the in-memory verifiable ledger holds by default (256 MiB of tree hashes). */
  public static final long DEFAULT_MAX_LEDGER_ENTRIES = InMemoryProofLedger.DEFAULT_MAX_LOG_ENTRIES;

  private final LeaseStore leases;
  private final NodeDirectory directory;
  private final JobStore jobs;
  private final ProofLedger ledger;
  private final AutoCloseable resources;

  private CoordinatorStores(LeaseStore leases, NodeDirectory directory, JobStore jobs,
      ProofLedger ledger, AutoCloseable resources) {
    this.leases = Objects.requireNonNull(leases, "leases");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.resources = Objects.requireNonNull(resources, "resources");
  }

  /** A new, empty in-memory set with the default bounds. */
  public static CoordinatorStores inMemory() {
    return inMemoryBuilder().build();
  }

  /** A builder of an in-memory set, starting from the default bounds. */
  public static InMemoryBuilder inMemoryBuilder() {
    return new InMemoryBuilder();
  }

  /**
   * A set of stores a host implemented; {@code resources} is closed with the set (for example a
   * connection pool). The job and lease stores must record completions in {@code ledger}, and the
   * directory its key rotations in {@code ledger}'s log.
   */
  public static CoordinatorStores of(LeaseStore leases, NodeDirectory directory, JobStore jobs,
      ProofLedger ledger, AutoCloseable resources) {
    return new CoordinatorStores(leases, directory, jobs, ledger, resources);
  }

  /** DAGs, runs and task leases. */
  public LeaseStore leases() {
    return leases;
  }

  /** Node identity (pinned keys) and presence. */
  public NodeDirectory directory() {
    return directory;
  }

  /** Plain jobs and their leases. */
  public JobStore jobs() {
    return jobs;
  }

  /** The record of accepted proofs. */
  public ProofLedger ledger() {
    return ledger;
  }

  /** Configures an in-memory set; every bound has a default. */
  public static final class InMemoryBuilder {
    private DirectoryLimits directory = DirectoryLimits.DEFAULT;
    private StoreLimits runs = StoreLimits.DEFAULT;
    private int retainedProofs = DEFAULT_RETAINED_PROOFS;
    private int retainedJobs = DEFAULT_RETAINED_JOBS;
    private long maxLedgerEntries = DEFAULT_MAX_LEDGER_ENTRIES;

    private InMemoryBuilder() {}

    /** The node directory's bounds (default {@link DirectoryLimits#DEFAULT}). */
    public InMemoryBuilder directoryLimits(DirectoryLimits limits) {
      this.directory = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The lease store's bounds on DAGs and runs (default {@link StoreLimits#DEFAULT}). */
    public InMemoryBuilder storeLimits(StoreLimits limits) {
      this.runs = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Accepted proofs kept for the views (default 100,000); older ones are forgotten there,
     * their jobs and tasks stay completed.
     */
    public InMemoryBuilder retainedProofs(int proofs) {
      this.retainedProofs = positive(proofs, "retainedProofs");
      return this;
    }

    /**
     * Entries the verifiable ledger holds (default 4,194,304, 64 bytes of tree hashes each);
     * beyond it a verified proof is refused {@code store_full} and its job or task stays
     * uncompleted, and so is a key rotation, which stays unapplied. The leaves of the newest {@link #retainedProofs} entries are served.
     */
    public InMemoryBuilder maxLedgerEntries(long entries) {
      if (entries < 1) {
        throw new IllegalArgumentException("maxLedgerEntries must be at least 1: " + entries);
      }
      this.maxLedgerEntries = entries;
      return this;
    }

    /** Finished jobs remembered (default 100,000); a forgotten one answers {@code unknown_job}. */
    public InMemoryBuilder retainedJobs(int jobs) {
      this.retainedJobs = positive(jobs, "retainedJobs");
      return this;
    }

    /** The set. */
    public CoordinatorStores build() {
      InMemoryProofLedger ledger = new InMemoryProofLedger(retainedProofs, maxLedgerEntries);
      return new CoordinatorStores(new InMemoryLeaseStore(ledger, runs),
          new InMemoryNodeDirectory(directory, ledger), new InMemoryJobStore(ledger, retainedJobs), ledger,
          () -> {});
    }

    private static int positive(int v, String what) {
      if (v < 1) {
        throw new IllegalArgumentException(what + " must be at least 1: " + v);
      }
      return v;
    }
  }

  /**
   * Closes what the set holds (a connection pool, say); the stores are unusable afterwards.
   *
   * @throws IllegalStateException if closing a resource failed (the cause says why)
   */
  @Override
  public void close() {
    try {
      resources.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing the stores", e);
    } catch (Exception e) {
      throw new IllegalStateException("closing the stores failed: " + e.getMessage(), e);
    }
  }
}
