package io.kascompute.testkit.fleet;

import io.kascompute.core.KasComputeException;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.wire.ApiError;
import io.kascompute.core.wire.Envelope;
import io.kascompute.core.wire.WireRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/** A small V1 client over {@link HttpClient}: sends wire requests, reads envelopes. */
final class V1Client {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final URI base;

  V1Client(HttpClient http, URI base) {
    this.http = http;
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  URI base() {
    return base;
  }

  /**
   * An answer: the HTTP status and the envelope's {@code data} object when ok, or the error's code
   * and message ({@code not_an_envelope} when the body was none).
   */
  record Answer(int status, Optional<JsonObject> data, String code, String message) {
    boolean ok() {
      return status == 200 && code.isEmpty();
    }

    /** The data decoded with a wire record's {@code fromJson}. */
    <T> T as(Function<JsonObject, T> read) {
      return read.apply(data.orElseThrow(() -> new IllegalStateException("not an ok answer: " + this)));
    }

    @Override
    public String toString() {
      return ok() ? "200 ok" : status + " " + code + " (" + message + ")";
    }
  }

  Answer post(String path, WireRequest body) throws IOException, InterruptedException {
    return post(path, body.toJson());
  }

  Answer post(String path, byte[] body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return send(request);
  }

  Answer get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET().build();
    return send(request);
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return parse(response.statusCode(), response.body());
  }

  /** Reads an envelope; a body that is not one becomes an answer with code {@code not_an_envelope}. */
  static Answer parse(int status, byte[] body) {
    Envelope e;
    try {
      e = Envelope.parse(body);
    } catch (KasComputeException ex) {
      return new Answer(status, Optional.empty(), "not_an_envelope", ex.getMessage());
    }
    if (e.error().isPresent()) {
      ApiError err = e.error().get();
      return new Answer(status, Optional.empty(), err.code(), err.message());
    }
    Optional<JsonObject> data = Optional.of(e.data())
        .filter(JsonObject.class::isInstance).map(JsonObject.class::cast);
    return new Answer(status, data, "", "");
  }
}
