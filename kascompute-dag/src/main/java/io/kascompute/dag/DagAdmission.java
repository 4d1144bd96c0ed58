package io.kascompute.dag;

import io.kascompute.core.ErrorCode;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A coordinator's admission policy for DAGs: named rules, stricter than deployed V1, that a
 * compiled DAG must also pass before a coordinator stores it. They never change a hash and never
 * make hashing refuse a spec: {@link ComputeDag} compiles everything V1 accepts, and the rules
 * are checked afterwards.
 *
 * <p>A coordinator reads a submit with the admission's limits and then checks it:
 *
 * <pre>{@code
 * DagAdmission admission = DagAdmission.strict();
 * ComputeDag dag = ComputeDag.fromSubmitBody(body, admission.limits());
 * admission.check(dag); // throws DagValidationException with the findings
 * }</pre>
 *
 * <p>Instances are immutable.
 */
public final class DagAdmission {
  /** The rules, each refusing what V1 accepts. */
  public enum Rule {
    /** A task id holding a control character (U+0000..U+001F, U+007F) is refused ({@code invalid_id}). */
    CONTROL_CHARACTERS_IN_TASK_IDS,
    /** A DAG without tasks is refused ({@code empty_dag}). */
    EMPTY_DAG,
    /** An edge listed more than once is refused, once per edge ({@code duplicate_edge}). */
    DUPLICATE_EDGES,
    /**
     * A DAG name, task id, task type or task {@code params} beyond its bound in {@link
     * #limits()} ({@link DagLimits#maxNameBytes()}, {@link DagLimits#maxTaskIdBytes()}, {@link
     * DagLimits#maxTaskTypeBytes()}, {@link DagLimits#maxParamsBytes()}) is refused ({@code
     * value_too_large}).
     */
    VALUE_BOUNDS
  }

  private static final DagAdmission STRICT =
      new DagAdmission(EnumSet.allOf(Rule.class), DagLimits.DEFAULT);
  private static final DagAdmission V1 =
      new DagAdmission(EnumSet.noneOf(Rule.class), DagLimits.DEFAULT);

  private final Set<Rule> rules;
  private final DagLimits limits;

  private DagAdmission(Set<Rule> rules, DagLimits limits) {
    this.rules = Collections.unmodifiableSet(EnumSet.copyOf(rules.isEmpty()
        ? EnumSet.noneOf(Rule.class) : rules));
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Every rule, with {@link DagLimits#DEFAULT}: the default of an SDK coordinator. */
  public static DagAdmission strict() {
    return STRICT;
  }

  /**
   * No rule, as deployed V1 admits DAGs; the limits are still {@link DagLimits#DEFAULT}, whose
   * hard limits keep reading a submit within memory.
   */
  public static DagAdmission v1() {
    return V1;
  }

  /** The given rules with the given limits. */
  public static DagAdmission of(Set<Rule> rules, DagLimits limits) {
    Objects.requireNonNull(rules, "rules");
    for (Rule r : rules) {
      Objects.requireNonNull(r, "rule");
    }
    return new DagAdmission(rules, limits);
  }

  /** This policy with {@code rule} on. */
  public DagAdmission with(Rule rule) {
    EnumSet<Rule> set = EnumSet.noneOf(Rule.class);
    set.addAll(rules);
    set.add(Objects.requireNonNull(rule, "rule"));
    return new DagAdmission(set, limits);
  }

  /** This policy with {@code rule} off. */
  public DagAdmission without(Rule rule) {
    EnumSet<Rule> set = EnumSet.noneOf(Rule.class);
    set.addAll(rules);
    set.remove(Objects.requireNonNull(rule, "rule"));
    return new DagAdmission(set, limits);
  }

  /** This policy with other limits. */
  public DagAdmission withLimits(DagLimits other) {
    return new DagAdmission(rules, other);
  }

  /** The rules on, unmodifiable. */
  public Set<Rule> rules() {
    return rules;
  }

  /** True if {@code rule} is on. */
  public boolean enforces(Rule rule) {
    return rules.contains(rule);
  }

  /** The limits: read submits with them, and {@link Rule#VALUE_BOUNDS} checks their bounds. */
  public DagLimits limits() {
    return limits;
  }

  /**
   * What this policy refuses in {@code dag}, in this order: an empty DAG, the name's bound, then
   * task by task in id order (control characters, the id's, type's and params' bounds), then each
   * repeated edge in (from, to) order; at most {@link DagValidationException#MAX_PROBLEMS}.
   */
  public List<DagProblem> findings(ComputeDag dag) {
    return collect(dag).list();
  }

  /**
   * Refuses {@code dag} if this policy finds anything in it.
   *
   * @throws DagValidationException listing the findings, its code the first finding's
   */
  public void check(ComputeDag dag) {
    collect(dag).throwIfAny();
  }

  private DagCompiler.Problems collect(ComputeDag dag) {
    Objects.requireNonNull(dag, "dag");
    DagCompiler.Problems p = new DagCompiler.Problems();
    boolean bounds = rules.contains(Rule.VALUE_BOUNDS);
    boolean controls = rules.contains(Rule.CONTROL_CHARACTERS_IN_TASK_IDS);
    if (rules.contains(Rule.EMPTY_DAG) && dag.taskCount == 0) {
      p.add(ErrorCode.EMPTY_DAG, "the DAG has no tasks");
    }
    if (bounds) {
      int nameBytes = utf8Length(dag.name);
      if (nameBytes > limits.maxNameBytes()) {
        p.add(ErrorCode.VALUE_TOO_LARGE, "the DAG name is " + nameBytes
            + " bytes; the limit is " + limits.maxNameBytes());
      }
    }
    if (bounds || controls) {
      for (int i = 0; i < dag.taskCount; i++) {
        int from = dag.idStart[i];
        int len = dag.idStart[i + 1] - from;
        if (controls) {
          for (int k = from; k < from + len; k++) {
            int c = dag.ids[k];
            if ((c >= 0 && c < 0x20) || c == 0x7f) {
              p.add(ErrorCode.INVALID_ID, "task id " + DagCompiler.show(dag.ids, from, len)
                  + " holds control character U+" + String.format("%04X", c));
              break;
            }
          }
        }
        if (bounds) {
          if (len > limits.maxTaskIdBytes()) {
            p.add(ErrorCode.VALUE_TOO_LARGE, "task id " + DagCompiler.show(dag.ids, from, len)
                + " is " + len + " bytes; the limit is " + limits.maxTaskIdBytes());
          }
          int type = dag.rawTypeUtf8[dag.types[i]].length;
          if (type > limits.maxTaskTypeBytes()) {
            p.add(ErrorCode.VALUE_TOO_LARGE, "the task type of task "
                + DagCompiler.show(dag.ids, from, len) + " is " + type + " bytes; the limit is "
                + limits.maxTaskTypeBytes());
          }
          int params = dag.paramsEnd[i] - dag.paramsStart[i];
          if (params > limits.maxParamsBytes()) {
            p.add(ErrorCode.VALUE_TOO_LARGE, "the params of task "
                + DagCompiler.show(dag.ids, from, len) + " are " + params
                + " bytes in canonical form; the limit is " + limits.maxParamsBytes());
          }
        }
      }
    }
    if (rules.contains(Rule.DUPLICATE_EDGES)) {
      long[] dups = dag.duplicateEdges;
      for (int k = 0; k < dups.length; k++) {
        if (k > 0 && dups[k] == dups[k - 1]) {
          continue;
        }
        int from = (int) (dups[k] >>> 32);
        int to = (int) dups[k];
        p.add(ErrorCode.DUPLICATE_EDGE, "edge " + show(dag, from) + " -> " + show(dag, to)
            + " is listed more than once");
      }
    }
    return p;
  }

  private static String show(ComputeDag dag, int task) {
    return DagCompiler.show(dag.ids, dag.idStart[task], dag.idStart[task + 1] - dag.idStart[task]);
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DagAdmission a && a.rules.equals(rules) && a.limits.equals(limits);
  }

  @Override
  public int hashCode() {
    return rules.hashCode() * 31 + limits.hashCode();
  }

  @Override
  public String toString() {
    return "DagAdmission" + rules + " " + limits;
  }
}
