package io.kascompute.testkit;

import java.io.File;

/**
 * The class path on which tests compile README snippets and start child JVMs: everything this
 * test JVM runs with, whether Surefire put it on the class path or (with {@code -Pmodule-path})
 * the testkit and the modules it requires on the module path.
 */
public final class TestClassPath {
  private TestClassPath() {}

  /** The module path (if any) followed by the class path, as one class path. */
  public static String get() {
    String surefire = System.getProperty("surefire.test.class.path");
    String classPath = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    String modulePath = System.getProperty("jdk.module.path");
    return modulePath == null || modulePath.isBlank() ? classPath : modulePath + File.pathSeparator + classPath;
  }
}
