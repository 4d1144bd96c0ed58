/** KASCompute core: the V1 wire model, canonical encodings, strict JSON, error codes, presence and metrics. */
module io.kascompute.core {
  requires com.fasterxml.jackson.core;
  requires static micrometer.core;

  exports io.kascompute.core;
  exports io.kascompute.core.json;
  exports io.kascompute.core.payload;
  exports io.kascompute.core.wire;
  exports io.kascompute.core.presence;
  exports io.kascompute.core.metrics;
  exports io.kascompute.core.metrics.micrometer;
  exports io.kascompute.core.internal to
      io.kascompute.crypto,
      io.kascompute.dag,
      io.kascompute.testkit;
}
