package io.kascompute.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.internal.JsonWriter;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DagCanonicalTest {
  @Property
  void workUnitsAreWrittenAsTheirUnsignedDecimalDigits(@ForAll long units) {
    assertDigits(units);
  }

  @Test
  void workUnitsAtEveryDigitCountBoundary() {
    long power = 1;
    for (int digits = 1; digits <= 19; digits++, power *= 10) {
      assertDigits(power);
      assertDigits(power - 1);
    }
    long tenToThe19 = Long.parseUnsignedLong("10000000000000000000");
    for (long u : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, tenToThe19 - 1, tenToThe19, -1L}) {
      assertDigits(u);
    }
  }

  private static void assertDigits(long units) {
    ComputeDag dag = ComputeDag.builder("d").task("t", units).build();
    assertThat(new String(dag.canonicalSpecBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"name\":\"d\",\"nodes\":[{\"task_id\":\"t\",\"work_units\":"
            + Long.toUnsignedString(units) + ",\"task_type\":\"sim\",\"params\":null}],\"edges\":[]}");
    assertThat(JsonWriter.unsignedDigits(units))
        .isEqualTo(Long.toUnsignedString(units).length());
  }
}
