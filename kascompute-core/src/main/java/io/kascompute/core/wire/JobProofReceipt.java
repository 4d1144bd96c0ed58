package io.kascompute.core.wire;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.payload.SignatureScheme;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The answer to an accepted job proof: V1's {@code {status:"accepted", receipt,
 * signature_verified}} plus the SDK's {@code scheme} (when verified), {@code accepted_unix},
 * {@code repeat}, {@code ledger_index} (when the coordinator keeps a ledger) and, when the
 * coordinator has a key, {@code coordinator_public_key_hex} and {@code coordinator_signature}.
 *
 * @param receipt V1's receipt text, {@code rcpt:<job_id>:<hex SHA-256 of
 *     "node_id|job_id|accepted_unix|work_units">}
 * @param repeat true when the same proof had already been accepted and this answer repeats the
 *     first one
 */
public record JobProofReceipt(
    String receipt,
    boolean signatureVerified,
    Optional<SignatureScheme> scheme,
    long acceptedUnix,
    boolean repeat,
    OptionalLong ledgerIndex,
    Optional<String> coordinatorPublicKeyHex,
    Optional<String> coordinatorSignature)
    implements WireResponse {

  /** Checks that nothing is null and that the two coordinator fields come together. */
  public JobProofReceipt {
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(ledgerIndex, "ledgerIndex");
    Objects.requireNonNull(coordinatorPublicKeyHex, "coordinatorPublicKeyHex");
    Objects.requireNonNull(coordinatorSignature, "coordinatorSignature");
    if (coordinatorPublicKeyHex.isPresent() != coordinatorSignature.isPresent()) {
      throw new IllegalArgumentException("coordinator key and signature come together");
    }
  }

  /** Reads the {@code data} of an ok envelope. */
  public static JobProofReceipt fromJson(JsonObject data) {
    return new JobProofReceipt(
        Fields.string(data, "receipt"),
        Fields.bool(data, "signature_verified"),
        Fields.optionalString(data, "scheme").map(SignatureScheme::fromWireName),
        Fields.optionalU64(data, "accepted_unix").orElse(0),
        Fields.optionalBoolean(data, "repeat").orElse(false),
        Fields.optionalU64(data, "ledger_index"),
        Fields.optionalString(data, "coordinator_public_key_hex"),
        Fields.optionalString(data, "coordinator_signature"));
  }

  @Override
  public byte[] toJson() {
    JsonWriter w = new JsonWriter(384).raw("{\"status\":\"accepted\"");
    w.raw(',').key("receipt").string(receipt);
    WireJson.bool(w, "signature_verified", signatureVerified);
    WireJson.optionalString(w, "scheme", scheme.map(SignatureScheme::wireName));
    w.raw(',').key("accepted_unix").unsigned(acceptedUnix);
    WireJson.bool(w, "repeat", repeat);
    WireJson.optionalU64(w, "ledger_index", ledgerIndex);
    WireJson.optionalString(w, "coordinator_public_key_hex", coordinatorPublicKeyHex);
    WireJson.optionalString(w, "coordinator_signature", coordinatorSignature);
    return w.raw('}').toByteArray();
  }
}
