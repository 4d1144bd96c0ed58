package io.kascompute.dag.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/** Small JDBC helpers shared by the stores. */
final class Sql {
  private Sql() {}

  static Array intArray(Connection c, int[] values) throws SQLException {
    Integer[] boxed = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return c.createArrayOf("integer", boxed);
  }

  static int[] ints(Array array) throws SQLException {
    if (array == null) {
      return new int[0];
    }
    Integer[] boxed = (Integer[]) array.getArray();
    int[] values = new int[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      values[i] = boxed[i];
    }
    return values;
  }

  /** Sets an optional epoch; NULL makes the statements skip the epoch check. */
  static void setEpoch(PreparedStatement ps, int index, OptionalLong epoch) throws SQLException {
    if (epoch.isPresent()) {
      ps.setLong(index, epoch.getAsLong());
    } else {
      ps.setNull(index, Types.BIGINT);
    }
  }

  /** A random counter shard in {@code [0, shards)}, spreading concurrent counter updates. */
  static int shard(int shards) {
    return ThreadLocalRandom.current().nextInt(shards);
  }

  /**
   * A lower bound for {@code text} that PostgreSQL can hold and that has, among strings of hex
   * digits (every stored DAG id), the same strings above it as {@code s}: {@code s} cut before its
   * first NUL or lone surrogate, followed by U+0001 for a NUL (nothing lies between) or U+FFFF for
   * a lone surrogate (which sorts above every ASCII character).
   */
  static String textBound(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return s.substring(0, i) + '\u0001';
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return s.substring(0, i) + '\uFFFF';
      }
    }
    return s;
  }
}
