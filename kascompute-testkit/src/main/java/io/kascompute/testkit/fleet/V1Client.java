package io.kascompute.testkit.fleet;

import io.kascompute.core.KasComputeException;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small V1 client over {@link HttpClient}: posts JSON, reads the envelope. */
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
   * An answer: the status, the envelope's {@code data} object (if ok and an object), and the error
   * code and message (if an error).
   */
  record Answer(int status, Optional<JsonObject> data, String code, String message) {
    boolean ok() {
      return status == 200 && code.isEmpty();
    }

    @Override
    public String toString() {
      return ok() ? "200 ok" : status + " " + code + " (" + message + ")";
    }
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
    JsonValue v;
    try {
      v = StrictJsonReader.withDefaults().read(body);
    } catch (KasComputeException e) {
      return new Answer(status, Optional.empty(), "not_an_envelope", e.getMessage());
    }
    if (!(v instanceof JsonObject envelope)) {
      return new Answer(status, Optional.empty(), "not_an_envelope", "body is not a JSON object");
    }
    Optional<JsonValue> error = envelope.get("error");
    if (error.isPresent() && error.get() instanceof JsonObject e) {
      String code = e.get("code").filter(JsonString.class::isInstance)
          .map(c -> ((JsonString) c).value()).orElse("not_an_envelope");
      String message = e.get("message").filter(JsonString.class::isInstance)
          .map(c -> ((JsonString) c).value()).orElse("");
      return new Answer(status, Optional.empty(), code, message);
    }
    if (error.isEmpty() || error.get() != JsonNull.INSTANCE) {
      return new Answer(status, Optional.empty(), "not_an_envelope", "envelope has no error member");
    }
    Optional<JsonObject> data = envelope.get("data")
        .filter(JsonObject.class::isInstance).map(JsonObject.class::cast);
    return new Answer(status, data, "", "");
  }
}
