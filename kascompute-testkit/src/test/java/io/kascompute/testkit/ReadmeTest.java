package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README is what a newcomer follows: every Java snippet in it compiles as written (its
 * imports included) against the SDK, its links resolve, and its Maven coordinates are the
 * build's.
 */
class ReadmeTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern JAVA_BLOCK = Pattern.compile("(?s)```java\\n(.*?)```");

  @TempDir Path classes;

  @TestFactory
  Stream<DynamicTest> everyJavaSnippetCompiles() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    List<String> snippets = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(readme);
    while (m.find()) {
      snippets.add(m.group(1));
    }
    assertThat(snippets).as("Java snippets in README.md").hasSizeGreaterThanOrEqualTo(5);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      String snippet = snippets.get(i);
      String first = snippet.lines().filter(l -> !l.startsWith("import ") && !l.isBlank())
          .findFirst().orElse("");
      int n = i + 1;
      tests.add(DynamicTest.dynamicTest("snippet " + n + ": " + first.strip(),
          () -> assertCompiles("Snippet" + n, snippet)));
    }
    return tests.stream();
  }

  @Test
  void theCoordinatesAreTheBuildsVersion() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher version = Pattern.compile(
        "(?s)<artifactId>kascompute-parent</artifactId>.*?<version>([^<]+)</version>").matcher(pom);
    assertThat(version.find()).as("the parent's version in pom.xml").isTrue();
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("<artifactId>kascompute-bom</artifactId>\n      <version>"
        + version.group(1) + "</version>");
  }

  @Test
  void everyRelativeLinkResolves() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher links = Pattern.compile("\\]\\(((?:docs|kascompute-)[^)#]*)\\)").matcher(readme);
    int count = 0;
    while (links.find()) {
      assertThat(ROOT.resolve(links.group(1))).as("link %s", links.group(1)).exists();
      count++;
    }
    assertThat(count).isGreaterThanOrEqualTo(5);
  }

  /**
   * Compiles a snippet: its import lines at the top; a snippet that declares a class as is,
   * anything else as the body of a method.
   */
  private void assertCompiles(String name, String snippet) throws IOException {
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : snippet.lines().toList()) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    boolean declaresClass = body.toString().lines().anyMatch(l -> l.startsWith("class "));
    String source = imports + (declaresClass
        ? body.toString().replaceFirst("(?m)^class \\w+", "class " + name)
        : "class " + name + " {\n  void snippet() throws Exception {\n" + body + "  }\n}\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      JavaFileObject unit = new SimpleJavaFileObject(
          URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return source;
        }
      };
      List<String> options = List.of("-classpath", TestClassPath.get(), "-d", classes.toString(),
          "-proc:none", "-Xlint:-options");
      StringWriter out = new StringWriter();
      boolean ok = javac.getTask(out, files, diagnostics, options, null, List.of(unit)).call();
      assertThat(ok).as("README snippet %s does not compile:%n%s%n%s%s", name, source, out,
          diagnostics.getDiagnostics()).isTrue();
    }
  }
}
