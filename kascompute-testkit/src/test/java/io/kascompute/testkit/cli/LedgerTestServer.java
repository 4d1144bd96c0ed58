package io.kascompute.testkit.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.CompactRange;
import io.kascompute.crypto.ledger.InMemorySubtreeHashes;
import io.kascompute.crypto.ledger.MerkleTree;
import io.kascompute.crypto.ledger.NoteSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ledger endpoints over an in-memory log built with the SDK's ledger code, on a loopback JDK
 * HTTP server: what the fetch and audit commands talk to in tests. The coordinator's real
 * endpoints are served by the reference server.
 */
final class LedgerTestServer implements AutoCloseable {
  private final NoteSigner signer;
  private final List<byte[]> leaves = new ArrayList<>();
  private final CompactRange range = CompactRange.empty();
  private final InMemorySubtreeHashes hashes = InMemorySubtreeHashes.create();
  private final HttpServer server;
  private final int maxPerCall;
  final AtomicInteger requests = new AtomicInteger();

  private LedgerTestServer(NoteSigner signer, int maxPerCall) throws IOException {
    this.signer = signer;
    this.maxPerCall = maxPerCall;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v1/ledger/", this::handle);
    server.start();
  }

  /** A server of a log signed by {@code key} under {@code origin}, at most {@code maxPerCall} entries per call. */
  static LedgerTestServer start(NodeKeyPair key, String origin, List<byte[]> leaves, int maxPerCall)
      throws IOException {
    LedgerTestServer s = new LedgerTestServer(NoteSigner.create(origin, key), maxPerCall);
    leaves.forEach(s::append);
    return s;
  }

  synchronized void append(byte[] leaf) {
    leaves.add(leaf.clone());
    range.append(MerkleTree.leafHash(leaf), hashes);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized String checkpointNote() {
    return new Checkpoint(signer.keyName(), range.size(), range.root()).sign(signer);
  }

  NoteSigner signer() {
    return signer;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange x) throws IOException {
    requests.incrementAndGet();
    try (x) {
      String path = x.getRequestURI().getPath();
      Map<String, Long> q = query(x.getRequestURI().getRawQuery());
      try {
        switch (path) {
          case "/v1/ledger/key" -> {
            JsonWriter w = new JsonWriter(256);
            w.raw('{').key("origin").string(signer.keyName())
                .raw(',').key("public_key_hex").string(signer.verifierKey().publicKey().hex())
                .raw(',').key("vkey").string(signer.verifierKey().vkey()).raw('}');
            ok(x, w);
          }
          case "/v1/ledger/checkpoint" -> send(x, 200, "text/plain; charset=utf-8",
              checkpointNote().getBytes(StandardCharsets.UTF_8));
          case "/v1/ledger/entries" -> send(x, 200, "application/x-ndjson",
              entries(q.get("start"), q.get("end")));
          case "/v1/ledger/proof/inclusion" -> proof(x,
              MerkleTree.inclusionProof(q.get("index"), checkedSize(q.get("size")), hashes()));
          case "/v1/ledger/proof/consistency" -> proof(x, MerkleTree.consistencyProof(
              q.get("first"), checkedSize(q.get("second")), hashes()));
          default -> error(x, 404, "not_found", "no endpoint " + path);
        }
      } catch (KasComputeException | NullPointerException e) {
        error(x, 400, "field_out_of_range", String.valueOf(e.getMessage()));
      }
    }
  }

  private synchronized InMemorySubtreeHashes hashes() {
    return hashes;
  }

  private synchronized long checkedSize(long size) {
    if (size > range.size()) {
      throw new KasComputeException(io.kascompute.core.ErrorCode.FIELD_OUT_OF_RANGE,
          "the log has " + range.size() + " entries");
    }
    return size;
  }

  private synchronized byte[] entries(long start, long end) {
    if (start < 0 || end <= start || end > leaves.size() || end - start > 1000) {
      throw new KasComputeException(io.kascompute.core.ErrorCode.FIELD_OUT_OF_RANGE,
          "entries " + start + ".." + end + " of " + leaves.size());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long i = start; i < Math.min(end, start + maxPerCall); i++) {
      out.writeBytes(leaves.get((int) i));
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static Map<String, Long> query(String raw) {
    Map<String, Long> q = new HashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        q.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
      }
    }
    return q;
  }

  private static void proof(HttpExchange x, List<Sha256Digest> proof) throws IOException {
    JsonWriter w = new JsonWriter(256);
    w.raw('{').key("hashes").raw('[');
    for (int i = 0; i < proof.size(); i++) {
      w.raw(i == 0 ? "" : ",").string(proof.get(i).hex());
    }
    ok(x, w.raw("]}"));
  }

  private static void ok(HttpExchange x, JsonWriter data) throws IOException {
    byte[] d = data.toByteArray();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("{\"status\":\"ok\",\"data\":".getBytes(StandardCharsets.UTF_8));
    body.writeBytes(d);
    body.writeBytes(",\"error\":null,\"ts\":1710000000}".getBytes(StandardCharsets.UTF_8));
    send(x, 200, "application/json", body.toByteArray());
  }

  private static void error(HttpExchange x, int status, String code, String message)
      throws IOException {
    JsonWriter w = new JsonWriter(256);
    w.raw("{\"status\":\"error\",\"data\":null,\"error\":{").key("code").string(code)
        .raw(',').key("message").string(message).raw("},\"ts\":1710000000}");
    send(x, status, "application/json", w.toByteArray());
  }

  private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(status, body.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(body);
    }
  }
}
