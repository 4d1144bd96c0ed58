package io.kascompute.testkit.fleet;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A JSON Lines file of accepted job proof submissions, one V1 request body per line. */
final class ProofLog implements Closeable {
  private final OutputStream out;
  private long lines;

  ProofLog(Path file) throws IOException {
    this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND));
  }

  synchronized void append(byte[] submission) {
    try {
      out.write(submission);
      out.write('\n');
      lines++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the proof log", e);
    }
  }

  synchronized long lines() {
    return lines;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
