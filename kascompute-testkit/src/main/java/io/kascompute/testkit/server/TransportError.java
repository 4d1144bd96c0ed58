package io.kascompute.testkit.server;

import io.kascompute.core.ErrorCode;

/**
 * The errors the HTTP transport answers by itself, before (or instead of) calling the coordinator:
 * each with the stable wire code of its V1 envelope and its HTTP status.
 *
 * <p>Codes that {@link ErrorCode} already has are taken from it; the others are written here as
 * plain strings until the core adds them (see {@code docs/spec/reference-server.md}, section 3).
 */
enum TransportError {
  /** The request line, a header or the chunked framing is not valid HTTP/1.1. */
  MALFORMED_REQUEST("malformed_request", 400),
  /** The request line and headers, or the body, did not arrive within their deadline. */
  REQUEST_TIMEOUT("request_timeout", 408),
  /** The request line is longer than the limit. */
  URI_TOO_LONG("uri_too_long", 414),
  /** The headers are larger than the limit, or there are more of them than the limit. */
  HEADER_TOO_LARGE("header_too_large", 431),
  /** The request's {@code Content-Encoding} is not {@code identity}. */
  UNSUPPORTED_CONTENT_ENCODING("unsupported_content_encoding", 415),
  /** The request's {@code Expect} is not {@code 100-continue}. */
  EXPECTATION_FAILED("expectation_failed", 417),
  /** The request's {@code Transfer-Encoding} ends in {@code chunked} but names other codings too. */
  UNSUPPORTED_TRANSFER_ENCODING("unsupported_transfer_encoding", 501),
  /** The method is not an HTTP method this server knows. */
  UNSUPPORTED_METHOD("unsupported_method", 501),
  /** The request is not HTTP/1.0 or HTTP/1.1. */
  HTTP_VERSION_NOT_SUPPORTED("http_version_not_supported", 505),
  /** A standard HTTP method that no V1 endpoint takes (V1 uses GET and POST only). */
  METHOD_NOT_ALLOWED(ErrorCode.METHOD_NOT_ALLOWED),
  /** The body is larger than the limit (declared or counted while reading). */
  BODY_TOO_LARGE(ErrorCode.BODY_TOO_LARGE),
  /** No capacity right now (connections, buffered bodies, workers) or shutting down; retry later. */
  OVERLOADED(ErrorCode.OVERLOADED),
  /** The request handler failed unexpectedly; nothing was applied. */
  INTERNAL(ErrorCode.INTERNAL);

  private final String wireName;
  private final int httpStatus;

  TransportError(String wireName, int httpStatus) {
    this.wireName = wireName;
    this.httpStatus = httpStatus;
  }

  TransportError(ErrorCode code) {
    this(code.wireName(), code.httpStatus());
  }

  /** The code as written in the envelope's {@code error.code}. */
  String wireName() {
    return wireName;
  }

  /** The HTTP status of the answer. */
  int httpStatus() {
    return httpStatus;
  }
}
