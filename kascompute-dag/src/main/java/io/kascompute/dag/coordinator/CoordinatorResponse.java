package io.kascompute.dag.coordinator;

import java.util.Objects;

/**
 * What {@link Coordinator#handle} answers: an HTTP status and the envelope bytes to send with
 * content type {@value #CONTENT_TYPE}.
 */
public record CoordinatorResponse(int status, byte[] body) {
  /** The content type of every body. */
  public static final String CONTENT_TYPE = "application/json";

  /** Checks that the body is not null. */
  public CoordinatorResponse {
    Objects.requireNonNull(body, "body");
  }

  /** The content type of the body: {@value #CONTENT_TYPE}. */
  public String contentType() {
    return CONTENT_TYPE;
  }
}
