/**
 * ComputeDAGs: {@link io.kascompute.dag.ComputeDag}, read from V1 JSON in one streaming pass or
 * built in code, validated and hashed exactly as deployed V1 hashes them, in a compact compiled
 * form; the read bounds ({@link io.kascompute.dag.DagLimits}) and the coordinator's stricter
 * admission policy ({@link io.kascompute.dag.DagAdmission}).
 */
package io.kascompute.dag;
