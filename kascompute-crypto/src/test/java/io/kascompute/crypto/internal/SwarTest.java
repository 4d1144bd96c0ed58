package io.kascompute.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The eight-bytes-at-a-time searches against byte-by-byte loops. */
class SwarTest {
  @Provide
  static Arbitrary<byte[]> lines() {
    Arbitrary<Byte> b = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, Arbitraries.bytes().between((byte) 0x20, (byte) 0x7e)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of((byte) '\n', (byte) '"', (byte) '\\', (byte) 0,
            (byte) 0x1f, (byte) 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0xc3, (byte) 0x21)));
    return b.array(byte[].class).ofMaxSize(80);
  }

  @Property(tries = 3000)
  void indexOfNewlineIsTheFirstLf(@ForAll("lines") byte[] b, @ForAll int seed) {
    int from = b.length == 0 ? 0 : Math.floorMod(seed, b.length);
    int expected = -1;
    for (int i = from; i < b.length; i++) {
      if (b[i] == '\n') {
        expected = i;
        break;
      }
    }
    assertThat(Swar.indexOfNewline(b, from, b.length)).isEqualTo(expected);
  }

  @Property(tries = 3000)
  void skipPlainAsciiStopsAtOrBeforeTheFirstSpecialByte(@ForAll("lines") byte[] b) {
    int first = b.length;
    for (int i = 0; i < b.length; i++) {
      int c = b[i] & 0xff;
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        first = i;
        break;
      }
    }
    int skipped = Swar.skipPlainAscii(b, 0, b.length);
    assertThat(skipped).isBetween(Math.max(0, first - 7), first);
  }
}
