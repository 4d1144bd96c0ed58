package io.kascompute.core.presence;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.KasComputeException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Where a node is: latitude and longitude in degrees (both or neither) and a country name or code.
 *
 * @param latitude degrees in {@code [-90, 90]}
 * @param longitude degrees in {@code [-180, 180]}
 * @param country 1 to 64 characters without control characters
 */
public record GeoLocation(OptionalDouble latitude, OptionalDouble longitude, Optional<String> country) {
  /** The longest accepted country, in UTF-16 units. */
  public static final int MAX_COUNTRY_LENGTH = 64;

  /** Validates ranges; refuses bad values with {@link ErrorCode#INVALID_GEO}. */
  public GeoLocation {
    Objects.requireNonNull(latitude, "latitude");
    Objects.requireNonNull(longitude, "longitude");
    Objects.requireNonNull(country, "country");
    if (latitude.isPresent() != longitude.isPresent()) {
      throw new KasComputeException(
          ErrorCode.INVALID_GEO, "latitude and longitude must be sent together");
    }
    if (latitude.isPresent() && !(Math.abs(latitude.getAsDouble()) <= 90.0)) {
      throw new KasComputeException(
          ErrorCode.INVALID_GEO, "latitude " + latitude.getAsDouble() + " is outside [-90, 90]");
    }
    if (longitude.isPresent() && !(Math.abs(longitude.getAsDouble()) <= 180.0)) {
      throw new KasComputeException(
          ErrorCode.INVALID_GEO,
          "longitude " + longitude.getAsDouble() + " is outside [-180, 180]");
    }
    if (country.isPresent()) {
      String c = country.get();
      if (c.isEmpty() || c.length() > MAX_COUNTRY_LENGTH || c.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
        throw new KasComputeException(
            ErrorCode.INVALID_GEO,
            "country must be 1 to " + MAX_COUNTRY_LENGTH + " characters without control characters");
      }
    }
  }

  /** Whether nothing at all is known. */
  public boolean isEmpty() {
    return latitude.isEmpty() && country.isEmpty();
  }
}
