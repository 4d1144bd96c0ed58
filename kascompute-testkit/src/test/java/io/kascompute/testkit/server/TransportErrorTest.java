package io.kascompute.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kascompute.core.ErrorCode;
import io.kascompute.core.wire.Envelope;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransportErrorTest {
  @Test
  void aCodeTheCoreAlreadyHasKeepsItsStatus() {
    for (TransportError e : TransportError.values()) {
      Optional<ErrorCode> core = Arrays.stream(ErrorCode.values())
          .filter(c -> c.wireName().equals(e.wireName())).findFirst();
      core.ifPresent(c -> assertThat(e.httpStatus()).as(e.name()).isEqualTo(c.httpStatus()));
      assertThat(e.wireName()).matches("[a-z][a-z0-9_]*");
    }
    assertThat(TransportError.OVERLOADED.wireName()).isEqualTo(ErrorCode.OVERLOADED.wireName());
  }

  @Test
  void theTransportsEnvelopeIsByteForByteTheCoresForAnAsciiMessage() {
    for (ErrorCode c : new ErrorCode[] {ErrorCode.OVERLOADED, ErrorCode.BODY_TOO_LARGE, ErrorCode.INTERNAL}) {
      assertThat(Responses.envelope(c.wireName(), "retry \"later\" \\ now", 1_710_000_000L))
          .isEqualTo(Envelope.error(c, "retry \"later\" \\ now", 1_710_000_000L));
    }
  }

  @Test
  void aMessageOutsidePrintableAsciiIsEscaped() {
    assertThat(new String(Responses.envelope("malformed_request", "a\u0001\u00e9\n", 0), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"status\":\"error\",\"data\":null,\"error\":{\"code\":\"malformed_request\","
            + "\"message\":\"a\\u0001\\u00e9\\u000a\"},\"ts\":0}");
  }
}
