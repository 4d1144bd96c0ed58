package io.kascompute.testkit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The tool's one logging format: every {@link System.Logger} record (through {@code
 * java.util.logging}) is one line on stderr, {@code 2026-12-01T12:00:00.000Z WARN logger:
 * message}, at or above the level {@code --log-level} chose (default {@code warn}); only at {@code
 * debug} does a record's stack trace follow its line.
 */
final class CliLogging {
  /** The levels {@code --log-level} accepts. */
  enum LogLevel {
    ERROR(Level.SEVERE),
    WARN(Level.WARNING),
    INFO(Level.INFO),
    DEBUG(Level.FINE);

    final Level jul;

    LogLevel(Level jul) {
      this.jul = jul;
    }
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static volatile LogLevel level = LogLevel.WARN;

  private CliLogging() {}

  /** Sends every log record to stderr in the tool's format, at {@code chosen} and above. */
  static synchronized void install(LogLevel chosen) {
    level = chosen;
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Handler h = new ConsoleHandler();
    h.setFormatter(new OneLine());
    h.setLevel(chosen.jul);
    root.addHandler(h);
    root.setLevel(chosen.jul);
  }

  /** True if {@code --log-level debug} was given: errors then carry their stack trace. */
  static boolean debug() {
    return level == LogLevel.DEBUG;
  }

  /** The level's name as {@code --log-level} spells it, upper-cased. */
  static String name(Level l) {
    int v = l.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (v >= Level.INFO.intValue()) {
      return "INFO";
    }
    return v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
  }

  /** {@code <instant> <LEVEL> <logger>: <message>} on one line. */
  static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder b = new StringBuilder(128);
      b.append(TIME.format(r.getInstant())).append(' ').append(name(r.getLevel())).append(' ')
          .append(r.getLoggerName() == null ? "-" : r.getLoggerName()).append(": ")
          .append(formatMessage(r).replace('\r', ' ').replace('\n', ' '));
      Throwable t = r.getThrown();
      if (t != null) {
        if (debug()) {
          StringWriter trace = new StringWriter();
          t.printStackTrace(new PrintWriter(trace));
          b.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        } else {
          b.append(": ").append(CliSupport.message(t));
        }
      }
      return b.append(System.lineSeparator()).toString();
    }
  }
}
