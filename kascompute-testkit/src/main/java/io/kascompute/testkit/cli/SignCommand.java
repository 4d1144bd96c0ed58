package io.kascompute.testkit.cli;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.NodeId;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.payload.JobProofPayload;
import io.kascompute.core.payload.LauncherJobProof;
import io.kascompute.core.payload.SignatureScheme;
import io.kascompute.core.wire.Fields;
import io.kascompute.core.wire.JobProofSubmission;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.crypto.ProofSigner;
import io.kascompute.testkit.cli.VerifyCommand.Exits;
import io.kascompute.testkit.cli.VerifyCommand.Unreadable;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine;

/**
 * {@code kascompute sign (--secret-key-file FILE | --secret-key-env NAME | --secret-key-hex HEX) [--scheme digest|launcher]
 * [FILE|-]}: signs JSON Lines of job-proof payloads in either scheme.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Reads JSON Lines of V1 job-proof payloads (node_id, [miner_id], job_id, work_units,"
          + " workload_mode, elapsed_ms, client_version, ts or timestamp_unix; unknown fields are"
          + " ignored) and writes one signed record (the body of POST /v1/jobs/{job_id}/proof,"
          + " with job_id and public_key_hex) per line. Blank lines are skipped.",
      "--scheme digest (the default) signs the SHA-256 of the schema-ordered payload, with V1's"
          + " defaults for a missing workload_mode (\"sim\") or client_version (\"unknown\"); it"
          + " needs elapsed_ms. --scheme launcher signs pf|node_id|job_id|work_units|ts, as the"
          + " public node launcher does: workload_mode, elapsed_ms and client_version are copied"
          + " when present and travel unsigned; miner_id cannot be signed that way.",
      "A line that is invalid is exit 1 (reported with its line number; output stops there);"
          + " an unreadable or bad key is exit 2."
    })
final class SignCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
  private SecretKey secretKey;

  /** Where the secret key comes from: a file or the environment (kept out of process lists), or the command line. */
  static final class SecretKey {
    @Option(names = "--secret-key-file", paramLabel = "FILE",
        description = "A file holding the seed's 64 hex characters, or the JSON that keygen"
            + " prints (e.g. keygen --out FILE).")
    private String file;

    @Option(names = "--secret-key-env", paramLabel = "NAME",
        description = "An environment variable holding the seed's hex, or keygen's JSON.")
    private String env;

    @Option(names = "--secret-key-hex", paramLabel = "HEX",
        description = "The node's 32-byte secret seed as 64 hex characters (visible in process"
            + " lists: prefer --secret-key-file or --secret-key-env).")
    private String hex;

    NodeKeyPair keyPair() throws Unreadable {
      if (hex != null) {
        return NodeKeyPair.fromSeedHex(hex);
      }
      if (env != null) {
        String value = System.getenv(env);
        if (value == null || value.isBlank()) {
          throw new Unreadable("cannot read the secret key: environment variable " + env
              + " is not set");
        }
        return parseKey(value, "environment variable " + env);
      }
      return readKeyFile(file);
    }
  }

  @Option(names = "--scheme", paramLabel = "digest|launcher", converter = SchemeConverter.class,
      description = "The signature scheme (default: digest).")
  private SignatureScheme scheme = SignatureScheme.DIGEST;

  @Parameters(arity = "0..1", paramLabel = "FILE|-", defaultValue = "-",
      description = "JSON Lines input; '-' or nothing reads stdin.")
  private String file;

  /** {@code digest} or {@code launcher}. */
  static final class SchemeConverter implements ITypeConverter<SignatureScheme> {
    @Override
    public SignatureScheme convert(String value) {
      try {
        return SignatureScheme.fromWireName(value);
      } catch (KasComputeException e) {
        throw new TypeConversionException("expected digest or launcher, got " + value);
      }
    }
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    return Exits.run(err, () -> {
      ProofSigner signer = ProofSigner.of(secretKey.keyPair());
      StrictJsonReader reader = StrictJsonReader.withDefaults();
      String name = "-".equals(file) ? "standard input" : file;
      OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
      int maxLine = reader.limits().maxBytes();
      try (InputStream in = new BufferedInputStream(Exits.reading(Exits.open(file), file), 1 << 16)) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        long number = 0;
        boolean more = true;
        while (more) {
          line.reset();
          int c;
          while ((c = in.read()) >= 0 && c != '\n') {
            if (line.size() <= maxLine) {
              line.write(c);
            }
          }
          more = c >= 0;
          if (!more && line.size() == 0) {
            break;
          }
          number++;
          byte[] bytes = line.toByteArray();
          int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
          if (isBlank(bytes, length)) {
            continue;
          }
          JobProofSubmission signed;
          try {
            if (length > maxLine) {
              throw new KasComputeException(ErrorCode.BODY_TOO_LARGE,
                  "the line is longer than " + maxLine + " bytes");
            }
            signed = sign(signer, Fields.object(reader.read(bytes, 0, length), "job proof payload"));
          } catch (KasComputeException e) {
            out.flush();
            err.println(("error: " + e.code().wireName() + ": " + name + " line " + number + ": "
                + e.getMessage()).replace('\r', ' ').replace('\n', ' '));
            err.flush();
            return Exits.INVALID;
          }
          out.write(signed.toJsonBytes());
          out.write('\n');
        }
      } finally {
        out.flush();
      }
      return Exits.OK;
    });
  }

  private static boolean isBlank(byte[] b, int length) {
    for (int i = 0; i < length; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  private JobProofSubmission sign(ProofSigner signer, JsonObject o) {
    NodeId nodeId = NodeId.of(Fields.string(o, "node_id"));
    Optional<String> minerId = Fields.optionalString(o, "miner_id");
    long jobId = Fields.u64(o, "job_id");
    long workUnits = Fields.u64(o, "work_units");
    Optional<String> workloadMode = Fields.optionalString(o, "workload_mode");
    var elapsedMs = Fields.optionalU64(o, "elapsed_ms");
    Optional<String> clientVersion = Fields.optionalString(o, "client_version");
    long ts = Fields.optionalU64(o, "timestamp_unix", "ts")
        .orElseThrow(() -> Fields.missing("timestamp_unix"));
    if (scheme == SignatureScheme.DIGEST) {
      return signer.signJobProof(new JobProofPayload(nodeId, minerId, jobId, workUnits,
          workloadMode.orElse(JobProofPayload.DEFAULT_WORKLOAD_MODE),
          elapsedMs.orElseThrow(() -> Fields.missing("elapsed_ms")),
          clientVersion.orElse(JobProofPayload.DEFAULT_CLIENT_VERSION), ts));
    }
    if (minerId.isPresent()) {
      throw new KasComputeException(ErrorCode.WRONG_TYPE,
          "the launcher scheme does not sign miner_id; sign a proof with a miner_id in the digest"
              + " scheme");
    }
    String signature =
        signer.signLauncherJobProof(new LauncherJobProof(nodeId, jobId, workUnits, ts));
    return new JobProofSubmission(nodeId, Optional.empty(), jobId, workUnits, workloadMode,
        elapsedMs, clientVersion, ts, Optional.empty(), signature,
        Optional.of(signer.publicKey().hex()));
  }

  /**
   * Reads a node's secret key from {@code file}: either the 64 hex digits of its seed, or the
   * JSON object that {@code kascompute keygen} prints (its {@code secret_key_hex}); surrounding
   * whitespace is ignored and the message of a refusal never echoes the key.
   */
  static NodeKeyPair readKeyFile(String file) throws Unreadable {
    return parseKey(new String(Exits.readAll(file), StandardCharsets.UTF_8), "key file " + file);
  }

  /**
   * A node's secret key from {@code text} (the seed's hex or keygen's JSON) found in {@code
   * where}; a refusal's message names {@code where} and never echoes the key.
   */
  static NodeKeyPair parseKey(String secret, String where) {
    String text = secret.strip();
    try {
      if (text.startsWith("{")) {
        JsonObject o;
        try {
          o = Fields.object(StrictJsonReader.withDefaults().read(text), "key file");
        } catch (KasComputeException e) {
          // The reader's message may quote the text, which is a secret.
          throw new KasComputeException(e.code(), "not the JSON object that keygen prints");
        }
        text = Fields.string(o, "secret_key_hex");
      }
      return NodeKeyPair.fromSeedHex(text);
    } catch (KasComputeException e) {
      throw new KasComputeException(e.code(), where + ": " + e.getMessage(), e);
    }
  }
}
