package io.kascompute.dag.internal.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class ByteStringsTest {
  @Property(tries = 200)
  void numbersStringsAsAMapWould(@ForAll long seed) {
    Random r = new Random(seed);
    String[] prefixes = {"", "task-", "a-prefix-of-sixteen-", "x".repeat(254), "y".repeat(300)};
    ByteStrings set = new ByteStrings(1 + r.nextInt(8));
    Map<String, Integer> reference = new HashMap<>();
    int max = r.nextBoolean() ? Integer.MAX_VALUE : 1 + r.nextInt(200);
    for (int i = 0; i < 2000; i++) {
      String s = prefixes[r.nextInt(prefixes.length)] + (r.nextInt(4) == 0 ? "" : r.nextInt(400));
      byte[] padded = ("<<" + s + ">>").getBytes(StandardCharsets.UTF_8);
      int k = set.intern(padded, 2, padded.length - 4, max);
      Integer expected = reference.get(s);
      if (expected == null && reference.size() < max) {
        expected = reference.size();
        reference.put(s, expected);
      }
      assertThat(k).as(s).isEqualTo(expected == null ? -1 : expected);
    }
    assertThat(set.count()).isEqualTo(reference.size());
    for (Map.Entry<String, Integer> e : reference.entrySet()) {
      int k = e.getValue();
      assertThat(Arrays.copyOfRange(set.bytes(), set.start(k), set.end(k)))
          .isEqualTo(e.getKey().getBytes(StandardCharsets.UTF_8));
      assertThat(set.length(k)).isEqualTo(set.end(k) - set.start(k));
    }
  }
}
