package io.kascompute.dag.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ExpiryQueueTest {
  @Property
  void entriesComeOutInNonDecreasingExpiryWhateverTheOrderTheyWentIn(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 50) Integer> expiries,
      @ForAll @IntRange(min = 1, max = 7) int popEvery) {
    ExpiryQueue queue = new ExpiryQueue();
    List<Long> out = new ArrayList<>();
    List<Long> in = new ArrayList<>();
    for (int i = 0; i < expiries.size(); i++) {
      queue.add(expiries.get(i), i, i + 1);
      in.add((long) expiries.get(i));
      if (i % popEvery == 0) {
        long min = in.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertThat(queue.peekExpiry()).isEqualTo(min);
        int task = ExpiryQueue.task(queue.peekKey());
        assertThat(ExpiryQueue.epoch(queue.peekKey())).isEqualTo(task + 1);
        assertThat((long) expiries.get(task)).isEqualTo(min);
        in.remove(min);
        queue.pop();
      }
    }
    while (!queue.isEmpty()) {
      out.add(queue.peekExpiry());
      queue.pop();
    }
    assertThat(out).isSorted().containsExactlyInAnyOrderElementsOf(in);
  }
}
