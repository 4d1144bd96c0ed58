package io.kascompute.dag.coordinator;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.wire.WireResponse;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.NoteSigner;
import io.kascompute.dag.ledger.LedgerLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The ledger endpoints of a coordinator with a coordinator key ({@code docs/spec/ledger.md}
 * section 5): the verifier key, the signed checkpoint (re-signed lazily, at most once per {@link
 * #REFRESH} of the clock, and never reflecting a size read longer ago than that), leaves and
 * proofs from the store's {@link LedgerLog}.
 */
final class LedgerService {
  /** How long a signed checkpoint is served before the log's size is read again. */
  static final Duration REFRESH = Duration.ofSeconds(5);

  /** The content type of the checkpoint. */
  static final String TEXT = "text/plain; charset=utf-8";

  /** The content type of the entries. */
  static final String NDJSON = "application/x-ndjson";

  private final LedgerLog log;
  private final NoteSigner signer;
  private final String origin;
  private final Clock clock;
  private String note;
  private long noteSize = -1;
  private Instant checkedAt = Instant.MIN;

  private LedgerService(LedgerLog log, NoteSigner signer, String origin, Clock clock) {
    this.log = log;
    this.signer = signer;
    this.origin = origin;
    this.clock = clock;
  }

  /**
   * The service, when the coordinator has a key.
   *
   * @throws KasComputeException {@code malformed_note} for an origin that cannot be a key name
   */
  static Optional<LedgerService> of(LedgerLog log, Optional<NodeKeyPair> key,
      Optional<String> origin, Clock clock) {
    return key.map(k -> {
      String o = origin.orElseGet(() -> defaultOrigin(k));
      return new LedgerService(log, NoteSigner.create(o, k), o, clock);
    });
  }

  /** The origin of a coordinator key without a configured one: {@code kascompute/<16 hex>}. */
  static String defaultOrigin(NodeKeyPair key) {
    return "kascompute/" + key.publicKey().hex().substring(0, 16);
  }

  /** The refusal of a ledger route on a coordinator without a key. */
  static KasComputeException disabled() {
    return new KasComputeException(ErrorCode.NOT_FOUND, "this coordinator has no coordinator key,"
        + " so it serves no signed ledger");
  }

  /** {@code GET /v1/ledger/key}. */
  WireResponse key() {
    String publicKey = signer.verifierKey().publicKey().hex();
    String vkey = signer.verifierKey().vkey();
    return () -> {
      JsonWriter w = new JsonWriter(160);
      w.raw('{').key("origin").string(origin);
      w.raw(',').key("public_key_hex").string(publicKey);
      w.raw(',').key("vkey").string(vkey).raw('}');
      return w.toByteArray();
    };
  }

  /** {@code GET /v1/ledger/checkpoint}: the signed note's UTF-8 bytes. */
  synchronized byte[] checkpoint() {
    Instant now = clock.instant();
    boolean fresh = note != null && !now.isBefore(checkedAt)
        && now.isBefore(checkedAt.plus(REFRESH));
    if (!fresh) {
      long size = log.size();
      if (note == null || size != noteSize) {
        note = new Checkpoint(origin, size, log.root(size)).sign(signer);
        noteSize = size;
      }
      checkedAt = now;
    }
    return note.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code GET /v1/ledger/entries?start=S&end=E}: the leaves of {@code [S, min(E, S + 1000))},
   * each followed by LF; the cut range must lie within the log.
   */
  byte[] entries(OptionalLong start, OptionalLong end) {
    long s = required("start", start);
    long e = required("end", end);
    if (s >= 0 && e > s && e - s > LedgerLog.MAX_LEAVES_PER_READ) {
      e = s + LedgerLog.MAX_LEAVES_PER_READ;
    }
    List<byte[]> leaves = log.leaves(s, e);
    int n = 0;
    for (byte[] l : leaves) {
      n += l.length + 1;
    }
    byte[] out = new byte[n];
    int p = 0;
    for (byte[] l : leaves) {
      System.arraycopy(l, 0, out, p, l.length);
      p += l.length;
      out[p++] = '\n';
    }
    return out;
  }

  /** {@code GET /v1/ledger/proof/inclusion?index=I&size=N}. */
  WireResponse inclusion(OptionalLong index, OptionalLong size) {
    return hashes(log.inclusionProof(required("index", index), required("size", size)));
  }

  /** {@code GET /v1/ledger/proof/consistency?first=M&second=N}. */
  WireResponse consistency(OptionalLong first, OptionalLong second) {
    return hashes(log.consistencyProof(required("first", first), required("second", second)));
  }

  private static WireResponse hashes(List<Sha256Digest> proof) {
    return () -> {
      JsonWriter w = new JsonWriter(16 + 67 * proof.size());
      w.raw('{').key("hashes").raw('[');
      for (int i = 0; i < proof.size(); i++) {
        if (i > 0) {
          w.raw(',');
        }
        w.string(proof.get(i).hex());
      }
      w.raw("]}");
      return w.toByteArray();
    };
  }

  private static long required(String name, OptionalLong value) {
    return value.orElseThrow(() -> new KasComputeException(ErrorCode.MISSING_FIELD,
        "query parameter " + name + " is required"));
  }
}
