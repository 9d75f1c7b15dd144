package io.pathway.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pure rules of delivery: back-off, signatures, scrubbed errors. */
class DeliveryRulesTest {

  @Test
  void shouldBackOffExponentiallyUpToTheMaximumAndStopAfterTheLastAttempt() {
    // given
    RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(5), 2, Duration.ofSeconds(30), 6);
    Instant now = Instant.parse("2026-11-25T10:00:00Z");

    // when / then
    assertThat(policy.nextAttempt(1, now)).contains(now.plusSeconds(5));
    assertThat(policy.nextAttempt(2, now)).contains(now.plusSeconds(10));
    assertThat(policy.nextAttempt(3, now)).contains(now.plusSeconds(20));
    assertThat(policy.nextAttempt(4, now)).contains(now.plusSeconds(30));
    assertThat(policy.nextAttempt(5, now)).contains(now.plusSeconds(30));
    assertThat(policy.nextAttempt(6, now)).isEmpty();
  }

  @Test
  void shouldSignTimestampAndBodySoThatOnlyTheUntouchedRequestVerifies() {
    // given
    byte[] body = "{\"patientRef\":\"PSN-1\"}".getBytes(StandardCharsets.UTF_8);
    long now = 1_764_064_800L;

    // when
    String signature = WebhookSignature.sign("s3cret", now, body);

    // then
    assertThat(signature).matches("sha256=[0-9a-f]{64}");
    assertThat(WebhookSignature.verify("s3cret", Long.toString(now), signature, body, now + 10, 300)).isTrue();
    assertThat(WebhookSignature.verify("other", Long.toString(now), signature, body, now, 300)).isFalse();
    assertThat(WebhookSignature.verify("s3cret", Long.toString(now + 1), signature, body, now, 300)).isFalse();
    assertThat(WebhookSignature.verify("s3cret", Long.toString(now), signature, "{}".getBytes(StandardCharsets.UTF_8), now, 300))
        .isFalse();
    assertThat(WebhookSignature.verify("s3cret", Long.toString(now), signature, body, now + 301, 300)).isFalse();
  }

  @Test
  void shouldMaskAddressesAndKeepErrorsOnOneShortLine() {
    // given
    Exception e = new IllegalStateException("550 mailbox oncall-spine@hospital.example unavailable\nsecond line",
        new RuntimeException("Invalid Addresses: <desk@hospital.example>; nested"));

    // when
    String message = ErrorText.scrubbedMessage(e);

    // then
    assertThat(message).isEqualTo("Invalid Addresses: <<address>>; nested");
    assertThat(ErrorText.scrubbedMessage(new RuntimeException("x@y.z\n".repeat(200)))).doesNotContain("@").doesNotContain("\n")
        .hasSizeLessThanOrEqualTo(303);
    assertThat(ErrorText.className(e)).isEqualTo(RuntimeException.class.getName());
  }
}
