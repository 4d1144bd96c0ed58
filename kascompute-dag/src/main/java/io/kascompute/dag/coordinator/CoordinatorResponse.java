package io.kascompute.dag.coordinator;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What {@link Coordinator#handle} answers: an HTTP status, a content type, the body bytes and,
 * for answers a client should retry later, a {@code Retry-After} in seconds. Immutable: the body
 * is copied in and out.
 */
public final class CoordinatorResponse {
  /** The content type of envelope bodies. */
  public static final String JSON = "application/json";

  private final int status;
  private final String contentType;
  private final byte[] body;
  private final OptionalInt retryAfterSeconds;

  private CoordinatorResponse(int status, String contentType, byte[] body, OptionalInt retryAfter) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.retryAfterSeconds = retryAfter;
  }

  /** An answer with a JSON envelope body. */
  public static CoordinatorResponse json(int status, byte[] envelope, OptionalInt retryAfter) {
    return of(status, JSON, envelope, retryAfter);
  }

  /** An answer with any body (the ledger's text and NDJSON endpoints). */
  public static CoordinatorResponse of(
      int status, String contentType, byte[] body, OptionalInt retryAfter) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status out of range: " + status);
    }
    return new CoordinatorResponse(status, Objects.requireNonNull(contentType, "contentType"),
        body.clone(), Objects.requireNonNull(retryAfter, "retryAfter"));
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The {@code Content-Type} of the body. */
  public String contentType() {
    return contentType;
  }

  /** A copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body's length in bytes, for {@code Content-Length}. */
  public int bodyLength() {
    return body.length;
  }

  /** Writes the body to {@code out} without copying it. */
  public void writeBody(OutputStream out) throws IOException {
    out.write(body);
  }

  /** Seconds the client should wait before retrying, for 503 answers. */
  public OptionalInt retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public String toString() {
    return "CoordinatorResponse[" + status + " " + contentType + ", " + body.length + " bytes]";
  }
}
