package io.kascompute.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.json.JsonNull;
import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A deliberately plain HTTP/1.1 client over a raw socket, for sending what real clients never would. */
final class RawHttp {
  private RawHttp() {}

  /** One response as read off the wire. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    boolean closes() {
      return "close".equalsIgnoreCase(header("Connection"));
    }

    /** The error code of the V1 error envelope this response must carry (checked strictly). */
    String errorCode() {
      assertThat(header("Content-Type")).isEqualTo("application/json");
      JsonValue v = StrictJsonReader.withDefaults().read(body);
      assertThat(v).isInstanceOf(JsonObject.class);
      JsonObject o = (JsonObject) v;
      assertThat(o.members().keySet()).containsExactly("status", "data", "error", "ts");
      assertThat(o.get("status")).contains(new JsonString("error"));
      assertThat(o.get("data")).contains(JsonNull.INSTANCE);
      assertThat(o.get("ts").orElseThrow()).isInstanceOf(JsonNumber.class);
      JsonObject error = (JsonObject) o.get("error").orElseThrow();
      assertThat(error.members().keySet()).containsExactly("code", "message");
      assertThat(error.get("message").orElseThrow()).isInstanceOf(JsonString.class);
      return ((JsonString) error.get("code").orElseThrow()).value();
    }
  }

  static Socket connect(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(15_000);
    s.setTcpNoDelay(true);
    return s;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Sends {@code request} on a new connection and reads one response. */
  static Response exchange(int port, byte[] request) throws IOException {
    try (Socket s = connect(port)) {
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      return read(s.getInputStream());
    }
  }

  /** Reads one response: status line, headers, and a body of exactly {@code Content-Length} bytes. */
  static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed after " + head.size() + " bytes of a response head");
      }
      head.write(c);
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    assertThat(statusLine[0]).isEqualTo("HTTP/1.1");
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, colon).toLowerCase(Locale.ROOT);
      assertThat(headers).as("header %s once", name).doesNotContainKey(name);
      headers.put(name, lines[i].substring(colon + 1).trim());
    }
    if (status == 100) {
      return new Response(status, headers, new byte[0]);
    }
    int length = Integer.parseInt(headers.get("content-length"));
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("connection closed after " + body.length + " of " + length + " body bytes");
    }
    return new Response(status, headers, body);
  }

  /** Reads until the server closes the connection; returns the bytes read (fails on a reset). */
  static byte[] readToEnd(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
