import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks what a build of the SDK produced, after {@code ./mvnw package} (or verify): POM metadata,
 * the BOM, sources and javadoc jars, LICENSE and NOTICE in every jar, manifests, module
 * descriptors, the bundled HdrHistogram, the CLI jar's licences and the benchmarks jar's size.
 *
 * <p>Run from the repository root: {@code java .ci/CheckArtifacts.java}. Prints one line per
 * check and {@code N passed, N failed}; exits 1 when a check failed.
 */
public final class CheckArtifacts {
  /** The modules published to Maven Central as jars. */
  private static final List<String> LIBRARIES =
      List.of("kascompute-core", "kascompute-crypto", "kascompute-dag", "kascompute-testkit");

  /** benchmarks.jar was 98 MB with four platforms' PostgreSQL; one platform's is about 14 MB. */
  private static final long MAX_BENCHMARKS_JAR_BYTES = 40L * 1024 * 1024;

  private final Path root;
  private int passed;
  private int failed;

  private CheckArtifacts(Path root) {
    this.root = root;
  }

  public static void main(String[] args) throws Exception {
    CheckArtifacts check = new CheckArtifacts(Path.of(args.length > 0 ? args[0] : "."));
    check.run();
    System.out.println(check.passed + " passed, " + check.failed + " failed");
    System.exit(check.failed == 0 ? 0 : 1);
  }

  private void run() throws Exception {
    Document parent = xml(root.resolve("pom.xml"));
    String version = text(parent.getDocumentElement(), "version");
    byte[] license = Files.readAllBytes(root.resolve("LICENSE"));

    checkParentMetadata(parent);
    checkModules(parent, version);
    checkBom(parent, version);
    for (String module : LIBRARIES) {
      checkLibraryJars(module, version, license);
    }
    checkCore(version);
    checkTestkit(version);
    checkCli(version, license);
    checkBenchmarks();
  }

  private void checkParentMetadata(Document parent) {
    Element p = parent.getDocumentElement();
    for (String field : List.of("name", "description", "url", "inceptionYear")) {
      expect(!text(p, field).isBlank(), "root pom.xml has <" + field + ">");
    }
    expect(!path(p, "licenses", "license", "name").isBlank(), "root pom.xml has a licence");
    expect(!path(p, "developers", "developer", "name").isBlank(), "root pom.xml has a developer");
    for (String field : List.of("connection", "developerConnection", "url")) {
      expect(!path(p, "scm", field).isBlank(), "root pom.xml has <scm><" + field + ">");
    }
    expect(!path(p, "issueManagement", "url").isBlank(), "root pom.xml has <issueManagement>");
    expect(
        !path(p, "properties", "project.build.outputTimestamp").isBlank(),
        "root pom.xml fixes project.build.outputTimestamp");
  }

  private void checkModules(Document parent, String version) throws Exception {
    for (String module : modules(parent)) {
      Element m = xml(root.resolve(module).resolve("pom.xml")).getDocumentElement();
      expect(!text(m, "name").isBlank(), module + " has a <name>");
      expect(!text(m, "description").isBlank(), module + " has a <description>");
      String moduleVersion =
          text(m, "version").isBlank() ? path(m, "parent", "version") : text(m, "version");
      expect(version.equals(moduleVersion), module + " is at version " + version);
    }
  }

  private void checkBom(Document parent, String version) throws Exception {
    Element bom = xml(root.resolve("kascompute-bom/pom.xml")).getDocumentElement();
    Element p = parent.getDocumentElement();
    expect(first(bom, "parent") == null, "the BOM has no parent (hosts import none of its pins)");
    expect(version.equals(text(bom, "version")), "the BOM is at version " + version);
    for (String[] field :
        List.of(
            new String[] {"url"},
            new String[] {"licenses", "license", "name"},
            new String[] {"developers", "developer", "name"},
            new String[] {"scm", "connection"},
            new String[] {"scm", "url"},
            new String[] {"issueManagement", "url"})) {
      expect(
          path(bom, field).equals(path(p, field)),
          "the BOM's " + String.join("/", field) + " matches the root pom.xml");
    }
    Set<String> listed = new TreeSet<>();
    for (Element d : children(first(first(bom, "dependencyManagement"), "dependencies"), "dependency")) {
      listed.add(text(d, "artifactId"));
      expect(
          "${project.version}".equals(text(d, "version")),
          "the BOM pins " + text(d, "artifactId") + " to its own version");
    }
    expect(
        listed.equals(new TreeSet<>(LIBRARIES)),
        "the BOM lists every published module " + LIBRARIES + " (it lists " + listed + ")");
    Set<String> published =
        modules(parent).stream()
            .filter(m -> !m.equals("kascompute-bom") && !m.equals("kascompute-bench"))
            .collect(Collectors.toCollection(TreeSet::new));
    expect(
        published.equals(new TreeSet<>(LIBRARIES)),
        "the published modules are " + LIBRARIES + " (the reactor has " + published + ")");
  }

  private void checkLibraryJars(String module, String version, byte[] license) throws Exception {
    Path target = root.resolve(module).resolve("target");
    String name = xml(root.resolve(module).resolve("pom.xml")).getDocumentElement()
        .getElementsByTagName("name").item(0).getTextContent().trim();
    for (String suffix : List.of("", "-sources", "-javadoc")) {
      Path jar = target.resolve(module + "-" + version + suffix + ".jar");
      if (!expect(Files.isRegularFile(jar), jar + " exists")) {
        continue;
      }
      try (JarFile j = new JarFile(jar.toFile())) {
        expect(
            Arrays.equals(bytes(j, "META-INF/LICENSE"), license),
            jar.getFileName() + " holds the SDK's LICENSE as META-INF/LICENSE");
        byte[] notice = bytes(j, "META-INF/NOTICE");
        expect(
            notice != null && new String(notice, StandardCharsets.UTF_8).startsWith("KASCompute Protocol SDK"),
            jar.getFileName() + " holds META-INF/NOTICE");
        if (suffix.equals("")) {
          Attributes main = j.getManifest().getMainAttributes();
          expect(
              version.equals(main.getValue("Implementation-Version")),
              jar.getFileName() + " has Implementation-Version " + version);
          expect(
              name.equals(main.getValue("Implementation-Title")),
              jar.getFileName() + " has Implementation-Title " + name);
        }
        if (suffix.equals("-javadoc")) {
          expect(j.getEntry("index.html") != null, jar.getFileName() + " holds index.html");
        }
      }
      if (suffix.equals("")) {
        checkModuleDescriptor(jar);
      }
    }
  }

  /** A modular jar's descriptor must cover every package it holds, else the JVM cannot load them. */
  private void checkModuleDescriptor(Path jar) throws IOException {
    Optional<ModuleReference> ref = ModuleFinder.of(jar).findAll().stream().findFirst();
    if (!expect(ref.isPresent(), jar.getFileName() + " is readable as a module")) {
      return;
    }
    ModuleDescriptor descriptor = ref.get().descriptor();
    if (!expect(
        !descriptor.isAutomatic(),
        jar.getFileName() + " has a module-info.class (it is no automatic module)")) {
      return;
    }
    Set<String> packages = new TreeSet<>();
    try (JarFile j = new JarFile(jar.toFile())) {
      for (JarEntry e : (Iterable<JarEntry>) j.stream()::iterator) {
        String n = e.getName();
        if (n.endsWith(".class") && n.contains("/") && !n.startsWith("META-INF/")) {
          packages.add(n.substring(0, n.lastIndexOf('/')).replace('/', '.'));
        }
      }
    }
    expect(
        descriptor.packages().containsAll(packages),
        jar.getFileName() + "'s module descriptor names every package in the jar");
    expect(
        descriptor.requires().stream().noneMatch(r -> r.name().equals("HdrHistogram")),
        jar.getFileName() + " requires no file-named HdrHistogram module");
  }

  private void checkCore(String version) throws Exception {
    Path target = root.resolve("kascompute-core/target");
    Path jar = target.resolve("kascompute-core-" + version + ".jar");
    if (!Files.isRegularFile(jar)) {
      return;
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      expect(
          j.stream().noneMatch(e -> e.getName().startsWith("org/HdrHistogram/")),
          "kascompute-core holds no org.HdrHistogram class (it is relocated)");
      expect(
          j.getEntry("io/kascompute/core/internal/hdrhistogram/Histogram.class") != null,
          "kascompute-core holds the relocated HdrHistogram Histogram");
      expect(
          j.getEntry("META-INF/LICENSE-HdrHistogram.txt") != null,
          "kascompute-core holds HdrHistogram's licence");
    }
    ModuleDescriptor d = ModuleFinder.of(jar).find("io.kascompute.core").orElseThrow().descriptor();
    expect(
        d.exports().stream().noneMatch(e -> e.source().contains("hdrhistogram")),
        "kascompute-core does not export the relocated HdrHistogram");
    Path reduced = target.resolve("dependency-reduced-pom.xml");
    if (expect(Files.isRegularFile(reduced), "kascompute-core has a dependency-reduced POM")) {
      List<String> dependencies = new ArrayList<>();
      for (Element dep : children(first(xml(reduced).getDocumentElement(), "dependencies"), "dependency")) {
        dependencies.add(text(dep, "groupId") + ":" + text(dep, "artifactId"));
      }
      expect(
          dependencies.contains("com.fasterxml.jackson.core:jackson-core")
              && dependencies.stream().noneMatch(a -> a.startsWith("org.hdrhistogram:")),
          "kascompute-core's published POM depends on jackson-core, not on HdrHistogram");
    }
  }

  /** The testkit exports its API only: the CLI's package is open to picocli and exported to none. */
  private void checkTestkit(String version) {
    Path jar = root.resolve("kascompute-testkit/target/kascompute-testkit-" + version + ".jar");
    if (!Files.isRegularFile(jar)) {
      return;
    }
    ModuleDescriptor d =
        ModuleFinder.of(jar).find("io.kascompute.testkit").map(ModuleReference::descriptor).orElse(null);
    if (!expect(d != null && !d.isAutomatic(), "kascompute-testkit is the module io.kascompute.testkit")) {
      return;
    }
    Set<String> exported =
        d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
    Set<String> api = Set.of(
        "io.kascompute.testkit", "io.kascompute.testkit.fleet", "io.kascompute.testkit.server",
        "io.kascompute.testkit.store");
    expect(
        exported.equals(new TreeSet<>(api)),
        "kascompute-testkit exports " + new TreeSet<>(api) + " (it exports " + exported + ")");
    expect(
        d.exports().stream().allMatch(e -> !e.isQualified()),
        "kascompute-testkit exports no package to chosen modules only");
    expect(
        d.opens().stream().anyMatch(o -> o.source().equals("io.kascompute.testkit.cli")
            && o.targets().equals(Set.of("info.picocli"))),
        "kascompute-testkit opens the CLI's package to picocli alone");
    expect(
        d.requires().stream().anyMatch(r -> r.name().equals("io.kascompute.dag")
            && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)),
        "kascompute-testkit requires io.kascompute.dag transitively");
  }

  private void checkCli(String version, byte[] license) throws Exception {
    Path target = root.resolve("kascompute-testkit/target");
    Path jar = target.resolve("kascompute.jar");
    if (!expect(Files.isRegularFile(jar), "kascompute-testkit/target/kascompute.jar exists")) {
      return;
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      Attributes main = j.getManifest().getMainAttributes();
      expect(
          "io.kascompute.testkit.cli.KasComputeCli".equals(main.getValue("Main-Class")),
          "kascompute.jar runs the CLI");
      expect(
          version.equals(main.getValue("Implementation-Version")),
          "kascompute.jar has Implementation-Version " + version);
      expect(
          Arrays.equals(bytes(j, "META-INF/LICENSE"), license),
          "kascompute.jar's META-INF/LICENSE is the Apache-2.0 text, once");
      expect(j.getEntry("META-INF/LICENSE.txt") == null, "kascompute.jar keeps no stray LICENSE.txt");
      String notice = new String(bytes(j, "META-INF/NOTICE"), StandardCharsets.UTF_8);
      for (String credit : List.of("KASCompute Protocol SDK", "Wycheproof", "HdrHistogram", "Jackson JSON processor", "Copyright © 2023 Werner Randelshofer")) {
        expect(notice.contains(credit), "kascompute.jar's merged NOTICE credits " + credit);
      }
      byte[] thirdParty = bytes(j, "META-INF/THIRD-PARTY-LICENSES.txt");
      if (expect(thirdParty != null, "kascompute.jar holds META-INF/THIRD-PARTY-LICENSES.txt")) {
        String text = new String(thirdParty, StandardCharsets.UTF_8);
        for (String artifact : bundledArtifacts(target.resolve("cli-bundled-artifacts.txt"))) {
          expect(text.contains(artifact), "THIRD-PARTY-LICENSES.txt names " + artifact);
        }
      }
      expect(
          j.stream().noneMatch(e -> e.getName().startsWith("org/junit/") || e.getName().startsWith("org/assertj/")),
          "kascompute.jar bundles no JUnit or AssertJ");
      expect(
          j.stream().noneMatch(e -> e.getName().startsWith("org/HdrHistogram/")),
          "kascompute.jar bundles HdrHistogram only inside kascompute-core");
      expect(
          j.stream().noneMatch(e -> e.getName().endsWith("module-info.class")),
          "kascompute.jar holds no module-info.class (it runs from the class path)");
    }
  }

  private void checkBenchmarks() throws IOException {
    Path jar = root.resolve("kascompute-bench/target/benchmarks.jar");
    if (!expect(Files.isRegularFile(jar), "kascompute-bench/target/benchmarks.jar exists")) {
      return;
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      List<String> binaries =
          j.stream().map(JarEntry::getName).filter(n -> n.matches("postgres-.*\\.txz")).toList();
      expect(
          binaries.size() == 1,
          "benchmarks.jar bundles the PostgreSQL binaries of one platform " + binaries);
    }
    long size = Files.size(jar);
    expect(
        size <= MAX_BENCHMARKS_JAR_BYTES,
        "benchmarks.jar is " + size / (1024 * 1024) + " MB, at most "
            + MAX_BENCHMARKS_JAR_BYTES / (1024 * 1024) + " MB");
  }

  /** groupId:artifactId of each line of {@code dependency:list} output. */
  private static List<String> bundledArtifacts(Path list) throws IOException {
    List<String> artifacts = new ArrayList<>();
    for (String line : Files.readAllLines(list)) {
      String[] parts = line.trim().split(":");
      if (parts.length >= 4 && !line.contains("The following")) {
        artifacts.add(parts[0] + ":" + parts[1]);
      }
    }
    return artifacts;
  }

  private boolean expect(boolean ok, String what) {
    System.out.println((ok ? "ok   " : "FAIL ") + what);
    if (ok) {
      passed++;
    } else {
      failed++;
    }
    return ok;
  }

  private static byte[] bytes(JarFile jar, String name) throws IOException {
    JarEntry e = jar.getJarEntry(name);
    if (e == null) {
      return null;
    }
    try (InputStream in = jar.getInputStream(e)) {
      return in.readAllBytes();
    }
  }

  private static List<String> modules(Document pom) {
    List<String> modules = new ArrayList<>();
    for (Element m : children(first(pom.getDocumentElement(), "modules"), "module")) {
      modules.add(m.getTextContent().trim());
    }
    return modules;
  }

  private static Document xml(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(file.toFile());
  }

  private static Element first(Element parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    if (parent != null) {
      NodeList list = parent.getChildNodes();
      for (int i = 0; i < list.getLength(); i++) {
        if (list.item(i) instanceof Element e && e.getTagName().equals(name)) {
          out.add(e);
        }
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    Element e = first(parent, name);
    return e == null ? "" : e.getTextContent().trim();
  }

  private static String path(Element parent, String... names) {
    Element e = parent;
    for (int i = 0; i < names.length - 1 && e != null; i++) {
      e = first(e, names[i]);
    }
    return e == null ? "" : text(e, names[names.length - 1]);
  }
}
