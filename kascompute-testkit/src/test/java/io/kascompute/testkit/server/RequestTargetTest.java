package io.kascompute.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class RequestTargetTest {
  /** The target as the decoder hands it over: one char per byte. */
  private static String wire(String utf8) {
    return new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  @Property
  void aPercentEncodedSegmentIsPassedOnUnchanged(@ForAll String segment) throws Exception {
    String encoded = URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    // lone surrogates have no UTF-8 form: URLEncoder writes '?' for them, still a valid target
    assertThat(RequestTarget.path(wire("/v1/runs/" + encoded))).isEqualTo("/v1/runs/" + encoded);
  }

  @Property
  void rawUtf8IsDecodedAsUtf8NeverLatin1(@ForAll("letters") String segment) throws Exception {
    assertThat(RequestTarget.path(wire("/v1/runs/" + segment))).isEqualTo("/v1/runs/" + segment);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> letters() {
    return net.jqwik.api.Arbitraries.strings().withCharRange('\u00a0', '\ud7ff').ofMinLength(1).ofMaxLength(20);
  }

  @Test
  void anAbsoluteUriLosesSchemeAndAuthority() throws Exception {
    assertThat(RequestTarget.path("http://127.0.0.1:8080/v1/metrics?x=1")).isEqualTo("/v1/metrics?x=1");
    assertThat(RequestTarget.path("HTTPS://host")).isEqualTo("/");
    assertThat(RequestTarget.path("http://host?q")).isEqualTo("/?q");
  }

  @Test
  void escapesInTheQueryNeedNotBeUtf8() throws Exception {
    assertThat(RequestTarget.path("/v1/metrics?x=%FF")).isEqualTo("/v1/metrics?x=%FF");
    assertThatThrownBy(() -> RequestTarget.path("/v1/%FF?x")).hasMessageContaining("does not decode to UTF-8");
  }
}
