package io.kascompute.dag.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonBoolean;
import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import java.nio.charset.StandardCharsets;

/** Drives a coordinator through {@code handle} and reads its envelopes. */
final class Http {
  private final Coordinator coordinator;

  Http(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  Reply post(String path, String json) {
    return call("POST", path, json.getBytes(StandardCharsets.UTF_8));
  }

  Reply get(String path) {
    return call("GET", path, new byte[0]);
  }

  Reply call(String method, String path, byte[] body) {
    CoordinatorResponse r = coordinator.handle(method, path, body);
    JsonObject env = (JsonObject) StrictJsonReader.withDefaults().read(r.body());
    Reply reply = new Reply(r.status(), env);
    // every answer is a well-formed envelope whose status matches its code
    assertThat(env.members().keySet()).containsExactly("status", "data", "error", "ts");
    if (r.status() == 200) {
      assertThat(reply.str(env, "status")).isEqualTo("ok");
      assertThat(env.members().get("error")).isEqualTo(JsonNull.INSTANCE);
    } else {
      assertThat(reply.str(env, "status")).isEqualTo("error");
      assertThat(env.members().get("data")).isEqualTo(JsonNull.INSTANCE);
    }
    return reply;
  }

  /** One answer. */
  record Reply(int status, JsonObject envelope) {
    String code() {
      JsonValue e = envelope.members().get("error");
      return e instanceof JsonObject o ? str(o, "code") : "";
    }

    JsonObject data() {
      return (JsonObject) envelope.members().get("data");
    }

    JsonObject obj(String key) {
      JsonValue v = data().members().get(key);
      return v instanceof JsonObject o ? o : null;
    }

    String str(String key) {
      return str(data(), key);
    }

    long num(String key) {
      return num(data(), key);
    }

    boolean bool(String key) {
      return ((JsonBoolean) data().members().get(key)).value();
    }

    JsonArray arr(String key) {
      return (JsonArray) data().members().get(key);
    }

    String str(JsonObject o, String key) {
      return ((JsonString) o.members().get(key)).value();
    }

    static long num(JsonObject o, String key) {
      return ((JsonNumber) o.members().get(key)).unsignedLongValue(key);
    }

    Reply expect(int httpStatus, String errorCode) {
      assertThat(status + " " + code()).isEqualTo(httpStatus + " " + errorCode);
      return this;
    }

    Reply ok() {
      assertThat(status).as("status of %s", envelope).isEqualTo(200);
      return this;
    }
  }
}
