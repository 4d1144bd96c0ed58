package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the protocol specification's error-code table and chapter links in step with the code. */
class ProtocolDocumentTest {
  private static final Path DOCS = Path.of("..", "docs");

  @Test
  void everyErrorCodeIsDocumentedWithItsHttpStatus() throws IOException {
    String spec = Files.readString(DOCS.resolve("PROTOCOL.md"));
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(spec).as("PROTOCOL.md row for %s", code)
          .contains("| `" + code.wireName() + "` | " + code.httpStatus() + " |");
    }
    Matcher rows = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\| \\d{3} \\|").matcher(spec);
    int documented = 0;
    while (rows.find()) {
      assertThat(ErrorCode.valueOf(rows.group(1).toUpperCase(java.util.Locale.ROOT))).isNotNull();
      documented++;
    }
    assertThat(documented).isEqualTo(ErrorCode.values().length);
  }

  @Test
  void everyChapterLinkResolves() throws IOException {
    String spec = Files.readString(DOCS.resolve("PROTOCOL.md"));
    Matcher links = Pattern.compile("\\]\\((spec/[a-z-]+\\.md)\\)").matcher(spec);
    int count = 0;
    while (links.find()) {
      assertThat(DOCS.resolve(links.group(1))).as("chapter %s", links.group(1)).exists();
      count++;
    }
    assertThat(count).isGreaterThanOrEqualTo(7);
  }
}
