package io.kascompute.testkit.cli;

import io.kascompute.dag.DagAdmission;
import io.kascompute.dag.coordinator.VerificationPolicy;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters shared by the testkit's commands. */
final class Options {
  private Options() {}

  /** {@code strict} or {@code v1-compat}. */
  static final class PolicyConverter implements ITypeConverter<VerificationPolicy> {
    @Override
    public VerificationPolicy convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "strict" -> VerificationPolicy.STRICT;
        case "v1-compat", "v1_compat" -> VerificationPolicy.V1_COMPAT;
        default -> throw new TypeConversionException("expected strict or v1-compat, got " + value);
      };
    }
  }

  /** {@code strict} or {@code v1}: the coordinator's DAG admission policy. */
  static final class DagAdmissionConverter implements ITypeConverter<DagAdmission> {
    @Override
    public DagAdmission convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "strict" -> DagAdmission.strict();
        case "v1" -> DagAdmission.v1();
        default -> throw new TypeConversionException("expected strict or v1, got " + value);
      };
    }
  }

  /** An inclusive range of work units. */
  record Range(long min, long max) {}

  /** {@code MIN..MAX} with {@code 1 <= MIN <= MAX}. */
  static final class RangeConverter implements ITypeConverter<Range> {
    @Override
    public Range convert(String value) {
      int dots = value.indexOf("..");
      try {
        if (dots > 0) {
          long min = Long.parseLong(value.substring(0, dots));
          long max = Long.parseLong(value.substring(dots + 2));
          if (min >= 1 && max >= min) {
            return new Range(min, max);
          }
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TypeConversionException("expected MIN..MAX with 1 <= MIN <= MAX, got " + value);
    }
  }

  /** A duration such as {@code 30s}, {@code 2m}, {@code 500ms}, {@code 1h} or ISO-8601 {@code PT30S}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        Duration d;
        if (v.startsWith("pt")) {
          d = Duration.parse(v.toUpperCase(Locale.ROOT));
        } else if (v.endsWith("ms")) {
          d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        } else if (v.endsWith("s")) {
          d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        } else if (v.endsWith("m")) {
          d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        } else if (v.endsWith("h")) {
          d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
        } else {
          d = Duration.ofSeconds(Long.parseLong(v));
        }
        if (!d.isNegative() && !d.isZero()) {
          return d;
        }
      } catch (NumberFormatException | DateTimeParseException e) {
        // reported below
      }
      throw new TypeConversionException("expected a positive duration such as 30s, 2m or 500ms, got " + value);
    }
  }
}
