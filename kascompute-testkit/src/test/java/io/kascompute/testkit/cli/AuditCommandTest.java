package io.kascompute.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.json.JsonNumber;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.testkit.cli.ProofCommandsTest.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kascompute audit} on an honest export and on exports with one byte of one entry changed
 * (every byte of every entry), one entry dropped, or two entries swapped: each fails with exit 1
 * and names the entry, offline when the entry's own checks fail, with {@code --url} when only the
 * root tells.
 */
class AuditCommandTest {
  static List<byte[]> leaves;
  static LedgerTestServer server;
  static Path checkpoint;
  static String vkey;

  @TempDir static Path dir;

  /** One command line for every run: picocli resets the options to their defaults each time. */
  static CommandLine cli;
  static StringWriter err;

  @BeforeAll
  static void start() throws IOException {
    cli = KasComputeCli.newCommandLine();
    err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    leaves = LedgerCommandTest.ledger(2);
    server = LedgerTestServer.start(LedgerCommandTest.COORDINATOR, LedgerCommandTest.ORIGIN,
        leaves, 1000);
    checkpoint = Files.writeString(dir.resolve("checkpoint"), server.checkpointNote());
    vkey = server.signer().verifierKey().vkey();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Path export(List<byte[]> lines, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] l : lines) {
      out.writeBytes(l);
      out.write('\n');
    }
    return Files.write(dir.resolve(name), out.toByteArray());
  }

  /** Audits with --json; returns the exit code and the named first bad entry (-1 if none). */
  static long[] audit(Path export, boolean locate) {
    List<String> args = new ArrayList<>(List.of("audit", "--checkpoint", checkpoint.toString(),
        "--vkey", vkey, "--json", "--threads", "1"));
    if (locate) {
      args.add("--url");
      args.add(server.url());
    }
    args.add(export.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cli.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    int exit = cli.execute(args.toArray(new String[0]));
    assertThat(err.toString()).isEmpty();
    JsonObject report = (JsonObject) StrictJsonReader.withDefaults()
        .read(out.toString(StandardCharsets.UTF_8).strip());
    JsonValue first = report.members().get("first_bad_entry");
    long index = -1;
    if (first instanceof JsonObject f && f.members().get("index") instanceof JsonNumber n) {
      index = n.unsignedLongValue("index");
    }
    return new long[] {exit, index};
  }

  @Test
  void theHonestExportPasses() throws IOException {
    assertThat(audit(export(leaves, "honest"), true)).containsExactly(0, -1);
    assertThat(audit(export(leaves, "honest"), false)).containsExactly(0, -1);
  }

  @Test
  void changingAnyByteOfAnyEntryFailsAndNamesThatEntry() throws IOException {
    int runs = 0;
    int rootOnly = 0;
    for (int i = 0; i < leaves.size(); i++) {
      byte[] original = leaves.get(i);
      for (int at = 0; at < original.length; at++) {
        List<byte[]> tampered = new ArrayList<>(leaves);
        byte[] changed = original.clone();
        changed[at] ^= 0x01;
        tampered.set(i, changed);
        Path p = export(tampered, "tampered");
        long[] offline = audit(p, false);
        assertThat(offline[0]).as("offline, entry %d byte %d", i, at).isEqualTo(1);
        if (offline[1] == -1) {
          // only the root differs: the coordinator's consistency proofs locate the entry
          rootOnly++;
          assertThat(audit(p, true)).as("entry %d byte %d", i, at).containsExactly(1, i);
        } else {
          assertThat(offline[1]).as("entry %d byte %d", i, at).isEqualTo(i);
        }
        runs++;
      }
    }
    assertThat(runs).isGreaterThan(2000);
    // accepted_unix, coordinator, and the launcher entry's unsigned fields are covered by the root only
    assertThat(rootOnly).isGreaterThan(50);
  }

  @Test
  void droppingOrSwappingEntriesFailsAndNamesTheFirstPlaceItShows() throws IOException {
    for (int i = 0; i < leaves.size(); i++) {
      List<byte[]> dropped = new ArrayList<>(leaves);
      dropped.remove(i);
      Path p = export(dropped, "dropped");
      assertThat(audit(p, true)).as("without entry %d", i).containsExactly(1, i);
      assertThat(audit(p, false)[0]).isEqualTo(1);
    }
    for (int i = 0; i < leaves.size(); i++) {
      for (int j = i + 1; j < leaves.size(); j++) {
        List<byte[]> swapped = new ArrayList<>(leaves);
        swapped.set(i, leaves.get(j));
        swapped.set(j, leaves.get(i));
        Path p = export(swapped, "swapped");
        assertThat(audit(p, true)).as("entries %d and %d swapped", i, j).containsExactly(1, i);
        assertThat(audit(p, false)[0]).isEqualTo(1);
      }
    }
  }

  @Test
  void anExportLongerThanTheCheckpointIsAuditedUpToItAndTheRestReported() throws IOException {
    List<byte[]> longer = new ArrayList<>(leaves);
    longer.add("{\"anything\":true}".getBytes(StandardCharsets.UTF_8));
    Run r = ProofCommandsTest.run("audit", "--checkpoint", checkpoint.toString(), "--vkey", vkey,
        export(longer, "longer").toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("entries     " + leaves.size() + " audited, 1 beyond the checkpoint");
  }
}
