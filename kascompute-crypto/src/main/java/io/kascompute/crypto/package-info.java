/**
 * Ed25519 node keys, signing and stateless verification of proofs and heartbeats in both signature
 * schemes of the field, with typed verdicts, and bulk auditing.
 */
package io.kascompute.crypto;
