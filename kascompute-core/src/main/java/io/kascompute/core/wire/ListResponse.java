package io.kascompute.core.wire;

import io.kascompute.core.json.JsonObject;
import io.kascompute.core.json.JsonValue;
import java.util.List;
import java.util.function.Function;

/**
 * A page of a read view ({@code GET /v1/nodes}, {@code /v1/jobs}, ...): the {@code data} of the
 * envelope is a JSON array of items, at most the page size asked for, in the view's order. The
 * next page is asked for with {@code ?after=<the last item's id>}.
 */
public record ListResponse<T extends WireResponse>(List<T> items) implements WireResponse {
  /** Copies the items. */
  public ListResponse {
    items = List.copyOf(items);
  }

  /** Reads a {@code data} array, each element with {@code read}. */
  public static <T extends WireResponse> ListResponse<T> fromJson(
      JsonValue data, Function<JsonObject, T> read) {
    return new ListResponse<>(WireJson.objects(data, "data", read));
  }

  @Override
  public byte[] toJson() {
    return WireJson.array(items);
  }
}
