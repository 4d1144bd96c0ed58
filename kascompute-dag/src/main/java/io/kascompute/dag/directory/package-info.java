/**
 * The node-directory SPI: keys pinned on proof of possession, claimed keys, per-role presence,
 * rotations and bounds.
 */
package io.kascompute.dag.directory;
