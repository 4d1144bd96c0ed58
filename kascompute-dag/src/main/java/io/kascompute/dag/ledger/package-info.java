/**
 * The record of accepted proofs (an SPI): what was credited, in acceptance order, with everything
 * needed to re-verify it offline.
 */
package io.kascompute.dag.ledger;
