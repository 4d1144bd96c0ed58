package io.kascompute.testkit.cli;

import io.kascompute.core.KasComputeException;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.Fields;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kascompute sign (--secret-key-hex HEX | --secret-key-file FILE) [FILE|-]}: signs JSON
 * Lines of job-proof payloads.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Reads JSON Lines of V1 job-proof payloads (node_id, [miner_id], job_id, work_units,"
          + " workload_mode, elapsed_ms, client_version, ts; unknown fields are ignored) and"
          + " writes one signed submission (the POST /v1/jobs/proof body) per line. Blank lines"
          + " are skipped.",
      "Exit codes: 0 ok, 2 bad key or bad line (reported with its line number; output stops"
          + " there) or unreadable input."
    })
final class SignCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
  private SecretKey secretKey;

  /** Where the secret key comes from: the command line, or a file (kept out of process lists). */
  static final class SecretKey {
    @Option(names = "--secret-key-hex", paramLabel = "HEX",
        description = "The node's 32-byte secret seed as 64 hex characters.")
    private String hex;

    @Option(names = "--secret-key-file", paramLabel = "FILE",
        description = "A file holding the seed's 64 hex characters, or the JSON that keygen"
            + " prints.")
    private String file;

    NodeKeyPair keyPair() throws IOException {
      return hex != null ? NodeKeyPair.fromSeedHex(hex) : CliSupport.readSecretKeyFile(file);
    }
  }

  @Parameters(arity = "0..1", paramLabel = "FILE|-", defaultValue = "-",
      description = "JSON Lines input; '-' or nothing reads stdin.")
  private String file;

  @Override
  public Integer call() {
    return CliSupport.run(spec, () -> {
      ProofSigner signer = ProofSigner.of(secretKey.keyPair());
      StrictJsonReader reader = StrictJsonReader.withDefaults();
      OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
      try (BufferedReader in = new BufferedReader(new InputStreamReader(
          CliSupport.openInput(file), StandardCharsets.UTF_8.newDecoder()), 1 << 16)) {
        long number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          JobProofPayload payload;
          try {
            payload = readPayload(Fields.object(reader.read(line), "job proof payload"));
          } catch (KasComputeException e) {
            out.flush();
            throw new KasComputeException(e.code(), "line " + number + ": " + e.getMessage(), e);
          }
          out.write(signer.signJobProof(payload).toJsonBytes());
          out.write('\n');
        }
      } finally {
        out.flush();
      }
      return CliSupport.OK;
    });
  }

  /** A payload line: the digest payload's fields, with V1's defaults for the optional ones. */
  private static JobProofPayload readPayload(io.kascompute.core.json.JsonObject o) {
    return new JobProofPayload(
        io.kascompute.core.NodeId.of(Fields.string(o, "node_id")),
        Fields.optionalString(o, "miner_id"),
        Fields.u64(o, "job_id"),
        Fields.u64(o, "work_units"),
        Fields.optionalString(o, "workload_mode").orElse(JobProofPayload.DEFAULT_WORKLOAD_MODE),
        Fields.u64(o, "elapsed_ms"),
        Fields.optionalString(o, "client_version").orElse(JobProofPayload.DEFAULT_CLIENT_VERSION),
        Fields.optionalU64(o, "timestamp_unix", "ts").orElseThrow(() -> Fields.missing("ts")));
  }
}
