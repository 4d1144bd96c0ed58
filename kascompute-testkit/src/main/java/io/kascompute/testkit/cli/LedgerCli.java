package io.kascompute.testkit.cli;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import io.kascompute.core.Sha256Digest;
import io.kascompute.core.json.JsonArray;
import io.kascompute.core.json.JsonLimits;
import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonString;
import io.kascompute.core.json.JsonValue;
import io.kascompute.core.json.StrictJsonReader;
import io.kascompute.core.wire.Fields;
import io.kascompute.crypto.ledger.Checkpoint;
import io.kascompute.crypto.ledger.NoteVerifierKey;
import io.kascompute.crypto.ledger.SignedNote;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * What the ledger commands share: their exit codes (0 all good, 1 an entry, a root, a proof or a
 * signature fails, 2 unreadable input or usage, 3 internal failure), one-line errors, reading
 * checkpoints, verifier keys and proofs, and the ledger endpoints over the JDK's HTTP client.
 */
final class LedgerCli {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int UNREADABLE = 2;
  static final int INTERNAL = 3;

  /** The codes that mean a check failed, not that the input could not be read. */
  private static final Set<ErrorCode> VERDICTS = EnumSet.of(ErrorCode.BAD_SIGNATURE,
      ErrorCode.MISSING_SIGNATURE, ErrorCode.INCLUSION_FAILED, ErrorCode.CONSISTENCY_FAILED,
      ErrorCode.ROOT_MISMATCH, ErrorCode.KEY_MISMATCH, ErrorCode.HASH_MISMATCH,
      ErrorCode.REPLAYED_PROOF);
  private static final StrictJsonReader JSON =
      StrictJsonReader.withLimits(JsonLimits.DEFAULT.withMaxBytes(1 << 20));
  /** The most leaf lines one entries call may return. */
  static final int ENTRIES_PER_CALL = 1000;

  private LedgerCli() {}

  /**
   * Runs {@code body}: a failed check ({@code bad_signature}, {@code inclusion_failed}, ...) is
   * one line on stderr and exit 1, any other refusal or an I/O failure exit 2, anything else 3.
   */
  static int run(CommandLine.Model.CommandSpec spec, Callable<Integer> body) {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return body.call();
    } catch (KasComputeException e) {
      err.println("error: " + e.code().wireName() + ": " + oneLine(e.getMessage()));
      err.flush();
      return VERDICTS.contains(e.code()) ? FAILED : UNREADABLE;
    } catch (IOException | UncheckedIOException e) {
      err.println("error: io: " + oneLine(String.valueOf(e.getMessage())));
      err.flush();
      return UNREADABLE;
    } catch (CommandLine.ParameterException e) {
      throw e;
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      err.println("error: internal: " + oneLine(String.valueOf(e)));
      err.flush();
      return INTERNAL;
    }
  }

  static String oneLine(String s) {
    return s.replace('\r', ' ').replace('\n', ' ');
  }

  static CommandLine.ParameterException usage(CommandLine.Model.CommandSpec spec, String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** Reads a file of at most {@code max} bytes. */
  static byte[] readFile(String file, int max) throws IOException {
    Path p = Path.of(file);
    try (InputStream in = Files.newInputStream(p)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw new IOException(file + " is larger than " + max + " bytes");
      }
      return b;
    } catch (IOException e) {
      throw e.getMessage() != null && e.getMessage().startsWith(file + " is larger")
          ? e : new IOException("cannot read " + file + ": " + reason(e), e);
    }
  }

  /** Why a file could not be read, in words rather than an exception's class name. */
  private static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : "read failed";
  }

  /** The signed checkpoint note in {@code file}, its form checked (its signature not yet). */
  static String readNote(String file) throws IOException {
    byte[] b = readFile(file, SignedNote.MAX_NOTE_BYTES);
    SignedNote.parse(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Verifies the checkpoint note in {@code file} with {@code key}. */
  static Checkpoint openCheckpoint(String file, NoteVerifierKey key) throws IOException {
    return Checkpoint.open(readNote(file), key);
  }

  /** The checkpoint in {@code file} without checking its signature. */
  static Checkpoint unverifiedCheckpoint(String file) throws IOException {
    return Checkpoint.parse(SignedNote.parse(readFile(file, SignedNote.MAX_NOTE_BYTES)).text());
  }

  /**
   * A verifier key given as its text, or as a file holding it: a line with the key, or the JSON
   * that {@code ledger fetch} writes ({@code key.json}, its {@code vkey} member).
   */
  static NoteVerifierKey verifierKey(String value) throws IOException {
    boolean file;
    try {
      file = Files.isRegularFile(Path.of(value));
    } catch (InvalidPathException e) {
      file = false;
    }
    if (!file) {
      return NoteVerifierKey.parse(value);
    }
    String text = new String(readFile(value, 1 << 16), StandardCharsets.UTF_8).strip();
    if (text.startsWith("{")) {
      text = Fields.string(Fields.object(JSON.read(text), "the key file"), "vkey");
    }
    return NoteVerifierKey.parse(text);
  }

  /**
   * Proof hashes from text: a JSON envelope {@code {"data":{"hashes":[...]}}}, its data object,
   * a JSON array, or hex hashes separated by commas or white space.
   */
  static List<Sha256Digest> proofHashes(String text) {
    String t = text.strip();
    if (t.startsWith("{") || t.startsWith("[")) {
      return hashes(JSON.read(t));
    }
    List<Sha256Digest> out = new ArrayList<>();
    for (String h : t.split("[,\\s]+")) {
      if (!h.isEmpty()) {
        out.add(Sha256Digest.fromHex(h));
      }
    }
    return out;
  }

  private static List<Sha256Digest> hashes(JsonValue v) {
    if (v instanceof JsonObject o) {
      if (o.members().get("data") instanceof JsonObject data) {
        return hashes(data);
      }
      JsonValue h = o.members().get("hashes");
      if (h == null) {
        throw Fields.missing("hashes");
      }
      return hashes(h);
    }
    if (!(v instanceof JsonArray a)) {
      throw Fields.wrongType("hashes", "an array of hex strings", v);
    }
    List<Sha256Digest> out = new ArrayList<>();
    for (JsonValue e : a.elements()) {
      if (!(e instanceof JsonString s)) {
        throw Fields.wrongType("hashes[]", "a hex string", e);
      }
      out.add(Sha256Digest.fromHex(s.value()));
    }
    return out;
  }

  /** The ledger endpoints of one coordinator. */
  static final class Http {
    private final HttpClient client;
    private final URI base;

    Http(String url) {
      String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      try {
        this.base = URI.create(u);
      } catch (IllegalArgumentException e) {
        throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE, "not a URL: " + url);
      }
      if (base.getScheme() == null || !base.getScheme().matches("https?")) {
        throw new KasComputeException(ErrorCode.FIELD_OUT_OF_RANGE,
            "the coordinator URL must be http:// or https://, got " + url);
      }
      this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER)
          .build();
    }

    /** GET {@code path}: the body of a 200 answer, at most {@code max} bytes. */
    byte[] get(String path, int max) throws IOException {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(60)).GET().build();
      HttpResponse<InputStream> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching " + path, e);
      } catch (IOException e) {
        throw new IOException("GET " + base + path + " failed: " + e, e);
      }
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(max + 1);
      }
      if (response.statusCode() != 200) {
        throw new IOException("GET " + path + " answered " + response.statusCode() + errorOf(body));
      }
      if (body.length > max) {
        throw new IOException("GET " + path + " answered more than " + max + " bytes");
      }
      return body;
    }

    /** GET {@code path} as a V1 envelope: its {@code data} object. */
    JsonObject data(String path) throws IOException {
      JsonObject envelope = Fields.object(JSON.read(get(path, 1 << 20)), "the response");
      if (!(envelope.members().get("data") instanceof JsonObject data)) {
        throw new IOException("GET " + path + " answered no data object");
      }
      return data;
    }

    /** GET a proof endpoint: the data's {@code hashes}. */
    List<Sha256Digest> proof(String path) throws IOException {
      return hashes(data(path));
    }

    private static String errorOf(byte[] body) {
      try {
        JsonObject o = Fields.object(JSON.read(body), "error");
        if (o.members().get("error") instanceof JsonObject e) {
          return ": " + Fields.optionalString(e, "code").orElse("?") + ": "
              + oneLine(Fields.optionalString(e, "message").orElse(""));
        }
      } catch (KasComputeException ignored) {
        // not an envelope: the status says enough
      }
      return "";
    }
  }
}
