/** KASCompute crypto: Ed25519 node keys, proof signing, verification, replay guard and auditing. */
module io.kascompute.crypto {
  requires transitive io.kascompute.core;
  requires org.bouncycastle.provider;

  exports io.kascompute.crypto;
  exports io.kascompute.crypto.ledger;
}
