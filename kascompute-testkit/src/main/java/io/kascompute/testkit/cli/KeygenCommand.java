package io.kascompute.testkit.cli;

import io.kascompute.core.internal.JsonWriter;
import io.kascompute.crypto.NodeKeyPair;
import io.kascompute.testkit.cli.VerifyCommand.Exits;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code kascompute keygen [--seed-hex HEX]}: prints a node key pair as one JSON object. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generates an Ed25519 node key (or derives it from --seed-hex) and writes one JSON line"
          + " {\"secret_key_hex\",\"public_key_hex\",\"node_id\"}; secret_key_hex is the 32-byte"
          + " RFC 8032 seed, node_id the SDK's id kc_ + first 16 hex characters of the key (a"
          + " node may use any other id).",
      "Exit codes: 0 ok; 2 malformed seed or usage error; 3 internal failure. Errors are one"
          + " line on stderr."
    })
final class KeygenCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(names = "--seed-hex", paramLabel = "HEX", description = "A 32-byte seed as 64 hex characters.")
  private Optional<String> seedHex;

  @Override
  public Integer call() {
    return Exits.run(spec.commandLine().getErr(), () -> {
      NodeKeyPair keys = seedHex.map(NodeKeyPair::fromSeedHex).orElseGet(NodeKeyPair::generate);
      JsonWriter w = new JsonWriter(200);
      w.raw('{').key("secret_key_hex").string(keys.exportSecretSeedHex());
      w.raw(',').key("public_key_hex").string(keys.publicKey().hex());
      w.raw(',').key("node_id").string(keys.nodeId().value()).raw("}\n");
      PrintStream out = System.out;
      out.write(w.buffer(), 0, w.size());
      out.flush();
      return Exits.OK;
    });
  }
}
