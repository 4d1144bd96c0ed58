package io.kascompute.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import java.net.URI;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every public type and every public or protected constructor, method and field of the library
 * modules' API packages carries a Javadoc comment (doclint's "missing" group without its demand
 * for an {@code @param} per parameter); overrides inherit theirs, and {@code .internal}
 * packages are not API.
 */
class JavadocCoverageTest {
  private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

  @ParameterizedTest
  @ValueSource(strings = {"kascompute-core", "kascompute-crypto", "kascompute-dag", "kascompute-testkit"})
  void everyPublicElementIsDocumented(String module) throws IOException {
    Path sources = Path.of("..", module, "src", "main", "java");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.toString().contains("/internal/"))
          .filter(p -> !p.getFileName().toString().equals("module-info.java"))
          .toList();
    }
    List<String> missing;
    try (StandardJavaFileManager fm = JAVAC.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      missing = undocumented(fm, fm.getJavaFileObjectsFromPaths(files));
    }
    assertThat(missing).as("public API elements without a Javadoc comment in %s", module).isEmpty();
  }

  @Test
  void findsWhatIsUndocumented() throws IOException {
    String source = "package p;\n/** Documented. */\npublic class A {\n"
        + "  public void bare() {}\n  /** Documented. */ public void fine() {}\n"
        + "  void hidden() {}\n  @Override public String toString() { return \"\"; }\n"
        + "  public static class B {}\n  /** Documented. */ public interface C { int implicit(); }\n}\n"
        + "class D { public void invisible() {} }\n";
    JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///p/A.java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    try (StandardJavaFileManager fm = JAVAC.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      assertThat(undocumented(fm, List.of(unit))).extracting(s -> s.replaceFirst(".*? ", ""))
          .containsExactlyInAnyOrder("A.bare", "B", "C.implicit");
    }
  }

  private static List<String> undocumented(StandardJavaFileManager fm,
      Iterable<? extends JavaFileObject> files) throws IOException {
    JavacTask task = (JavacTask) JAVAC.getTask(null, fm, null, List.of("-proc:none"), null, files);
    DocTrees docs = DocTrees.instance(task);
    List<String> missing = new ArrayList<>();
    for (CompilationUnitTree unit : task.parse()) {
      new Scanner(docs, unit, missing).scan(new TreePath(unit), null);
    }
    return missing;
  }

  /** Walks public types and their visible members, noting those without a doc comment. */
  private static final class Scanner extends TreePathScanner<Void, Void> {
    private final DocTrees docs;
    private final CompilationUnitTree unit;
    private final List<String> missing;

    Scanner(DocTrees docs, CompilationUnitTree unit, List<String> missing) {
      this.docs = docs;
      this.unit = unit;
      this.missing = missing;
    }

    @Override
    public Void visitClass(ClassTree type, Void unused) {
      TreePath here = getCurrentPath(); // scan(TreePath) of a nested type resets the current path
      if (!visible(type.getModifiers(), here.getParentPath())) {
        return null;
      }
      check(here, type.getSimpleName().toString());
      for (Tree member : type.getMembers()) {
        TreePath path = new TreePath(here, member);
        if (member instanceof ClassTree) {
          scan(path, null);
        } else if (member instanceof MethodTree m && visible(m.getModifiers(), here)
            && !overrides(m.getModifiers())) {
          check(path, type.getSimpleName() + "." + m.getName());
        } else if (member instanceof VariableTree v && visible(v.getModifiers(), here)) {
          check(path, type.getSimpleName() + "." + v.getName());
        }
      }
      return null;
    }

    private void check(TreePath path, String what) {
      if (docs.getDocCommentTree(path) == null) {
        long line = unit.getLineMap().getLineNumber(
            docs.getSourcePositions().getStartPosition(unit, path.getLeaf()));
        missing.add(unit.getSourceFile().getName().replaceFirst(".*/java/", "") + ":" + line + " " + what);
      }
    }

    /** Public or protected, or a member of an interface or annotation (implicitly public). */
    private static boolean visible(ModifiersTree modifiers, TreePath enclosing) {
      if (modifiers.getFlags().contains(Modifier.PRIVATE)) {
        return false;
      }
      if (modifiers.getFlags().contains(Modifier.PUBLIC) || modifiers.getFlags().contains(Modifier.PROTECTED)) {
        return true;
      }
      return enclosing != null && enclosing.getLeaf() instanceof ClassTree c
          && (c.getKind() == Tree.Kind.INTERFACE || c.getKind() == Tree.Kind.ANNOTATION_TYPE);
    }

    private static boolean overrides(ModifiersTree modifiers) {
      return modifiers.getAnnotations().stream()
          .anyMatch(a -> a.getAnnotationType().toString().equals("Override"));
    }
  }
}
