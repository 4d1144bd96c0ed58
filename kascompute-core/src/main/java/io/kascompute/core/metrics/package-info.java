/**
 * A coordinator process's own window figures: latency percentiles and rejections per code.
 */
package io.kascompute.core.metrics;
