/** KASCompute core: the V1 wire model, canonical encodings, strict JSON and error codes. */
module io.kascompute.core {
  requires com.fasterxml.jackson.core;

  exports io.kascompute.core;
  exports io.kascompute.core.json;
  exports io.kascompute.core.wire;
  exports io.kascompute.core.internal to
      io.kascompute.crypto,
      io.kascompute.dag,
      io.kascompute.testkit;
}
