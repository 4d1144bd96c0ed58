package io.kascompute.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("slow")
class DemoCommandTest {
  @Test
  void smallDemoCompletesAndAuditsCleanly() throws Exception {
    DemoCommand demo = new DemoCommand();
    demo.nodes = 4;
    demo.tasks = 200;
    demo.seed = 5L;
    demo.faultRate = 0.05;
    demo.timeout = Duration.ofMinutes(2);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      exit = demo.run(out, false);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    assertThat(text)
        .contains("/200 tasks")
        .contains("run state         completed, 200/200 tasks completed (server)")
        .contains("verdict           OK");
  }
}
