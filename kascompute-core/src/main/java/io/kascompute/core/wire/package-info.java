/**
 * The V1 HTTP bodies: a typed record for every request and response, each with a strict {@code
 * fromJson} and a {@code toJson}, the response envelope, and path segment encoding.
 */
package io.kascompute.core.wire;
