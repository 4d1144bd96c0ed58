package io.kascompute.testkit.server;

import io.kascompute.core.wire.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes the bytes of the transport's HTTP/1.1 responses: a status line, {@code Date}, {@code
 * Content-Type}, an exact {@code Content-Length}, the connection and retry
 * headers the transport decided on, and a V1 envelope body.
 */
final class Responses {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Clock clock;
  private volatile CachedDate date = new CachedDate(Long.MIN_VALUE, "");

  Responses(Clock clock) {
    this.clock = clock;
  }

  private record CachedDate(long second, String text) {}

  /** The interim answer to {@code Expect: 100-continue}. */
  static byte[] continueResponse() {
    return CONTINUE.clone();
  }

  /** The server clock in Unix seconds, as the envelope's {@code ts}. */
  long nowSeconds() {
    try {
      return Math.max(0, clock.instant().getEpochSecond());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * A whole response.
   *
   * @param status the HTTP status
   * @param contentType the body's media type
   * @param body the body (sent only if {@code withBody})
   * @param close whether to send {@code Connection: close}
   * @param retryAfterSeconds the {@code Retry-After} value, or a negative number for none
   * @param allow the {@code Allow} value, or null for none
   * @param withBody false for an answer to {@code HEAD}: the headers describe the body, which is left out
   */
  byte[] response(int status, String contentType, byte[] body, boolean close, long retryAfterSeconds, String allow,
      boolean withBody) {
    StringBuilder head = new StringBuilder(192);
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    head.append("Date: ").append(date()).append("\r\n");
    head.append("Content-Type: ").append(contentType).append("\r\n");
    head.append("Content-Length: ").append(body.length).append("\r\n");
    if (close) {
      head.append("Connection: close\r\n");
    }
    if (retryAfterSeconds >= 0) {
      head.append("Retry-After: ").append(retryAfterSeconds).append("\r\n");
    }
    if (allow != null) {
      head.append("Allow: ").append(allow).append("\r\n");
    }
    head.append("\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
    if (!withBody) {
      return h;
    }
    byte[] out = new byte[h.length + body.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(body, 0, out, h.length, body.length);
    return out;
  }

  /** The V1 error envelope for {@code error} with a message written by the transport. */
  byte[] envelope(TransportError error, String message) {
    return Envelope.error(error.code(), message, nowSeconds());
  }

  private String date() {
    long second;
    try {
      second = clock.instant().getEpochSecond();
    } catch (RuntimeException e) {
      second = 0;
    }
    CachedDate d = date;
    if (d.second() != second) {
      d = new CachedDate(second, IMF_FIXDATE.format(java.time.Instant.ofEpochSecond(second)));
      date = d;
    }
    return d.text();
  }

  /** The reason phrase of a status (informative only; clients read the code). */
  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 417 -> "Expectation Failed";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status";
    };
  }
}
