package io.kascompute.testkit.server;

import io.kascompute.core.ErrorCode;

/**
 * The errors the HTTP transport answers by itself, before (or instead of) calling the coordinator:
 * each with the stable wire code of its V1 envelope and its HTTP status.
 *
 * <p>Every one is an {@link ErrorCode}; this enum names the subset a transport answers with.
 */
enum TransportError {
  /** The request line, a header or the chunked framing is not valid HTTP/1.1. */
  MALFORMED_REQUEST(ErrorCode.MALFORMED_REQUEST),
  /** The request line and headers, or the body, did not arrive within their deadline. */
  REQUEST_TIMEOUT(ErrorCode.REQUEST_TIMEOUT),
  /** The request line is longer than the limit. */
  URI_TOO_LONG(ErrorCode.URI_TOO_LONG),
  /** The headers are larger than the limit, or there are more of them than the limit. */
  HEADER_TOO_LARGE(ErrorCode.HEADER_TOO_LARGE),
  /** The request's {@code Content-Encoding} is not {@code identity}. */
  UNSUPPORTED_CONTENT_ENCODING(ErrorCode.UNSUPPORTED_CONTENT_ENCODING),
  /** The request's {@code Expect} is not {@code 100-continue}. */
  EXPECTATION_FAILED(ErrorCode.EXPECTATION_FAILED),
  /** The request's {@code Transfer-Encoding} ends in {@code chunked} but names other codings too. */
  UNSUPPORTED_TRANSFER_ENCODING(ErrorCode.UNSUPPORTED_TRANSFER_ENCODING),
  /** The method is not an HTTP method this server knows. */
  UNSUPPORTED_METHOD(ErrorCode.UNSUPPORTED_METHOD),
  /** The request is not HTTP/1.0 or HTTP/1.1. */
  HTTP_VERSION_NOT_SUPPORTED(ErrorCode.HTTP_VERSION_NOT_SUPPORTED),
  /** A standard HTTP method that no V1 endpoint takes (V1 uses GET and POST only). */
  METHOD_NOT_ALLOWED(ErrorCode.METHOD_NOT_ALLOWED),
  /** The body is larger than the limit (declared or counted while reading). */
  BODY_TOO_LARGE(ErrorCode.BODY_TOO_LARGE),
  /** No capacity right now (connections, buffered bodies, workers) or shutting down; retry later. */
  OVERLOADED(ErrorCode.OVERLOADED),
  /** The request handler failed unexpectedly; nothing was applied. */
  INTERNAL(ErrorCode.INTERNAL);

  private final ErrorCode code;

  TransportError(ErrorCode code) {
    this.code = code;
  }

  /** The code of the envelope. */
  ErrorCode code() {
    return code;
  }

  /** The HTTP status of the answer. */
  int httpStatus() {
    return code.httpStatus();
  }
}
