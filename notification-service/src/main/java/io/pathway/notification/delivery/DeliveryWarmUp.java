package io.pathway.notification.delivery;

import io.pathway.model.codes.Channel;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Warms, before the Kafka listeners and the delivery worker start (so before readiness reports UP),
 * what the first notifications after a start would otherwise pay for: the first e-mails of a fresh
 * process took 0.5-1.4 s against 0.1 s warm (docs/benchmarks.md). Nothing is sent, and nothing is kept but
 * an SMTP connection:
 * <ul>
 *   <li>messages rendered, e-mails composed and written out to nowhere (MIME, encodings), webhook
 *       requests built and signed, for synthetic notifications on both channels;</li>
 *   <li>one connection to the SMTP server, opened without a mail and left in {@link EmailSender}'s pool,
 *       so the first e-mail reuses it (the pool checks it first and replaces it if the server dropped it);</li>
 *   <li>the delivery log's path, in transactions that are rolled back: a synthetic row inserted,
 *       claimed, renewed and recorded as delivered with its attempt and report (no commit: no wake-up,
 *       no report published).</li>
 * </ul>
 * Off with {@code notification.warmup.enabled=false}.
 */
@Component
@ConditionalOnProperty(name = "notification.warmup.enabled", havingValue = "true", matchIfMissing = true)
class DeliveryWarmUp implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DeliveryWarmUp.class);
  /** Before the Kafka listener containers ({@code Integer.MAX_VALUE - 100}) and the delivery worker. */
  static final int PHASE = Integer.MAX_VALUE - 200;
  private static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");

  private final MessageRenderer renderer;
  private final EmailSender email;
  private final WebhookSender webhook;
  private final NotificationStore store;
  private final DeliveryOutcomes outcomes;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final int rounds;
  private volatile boolean running;
  private volatile int lastRecorded = -1;
  private volatile boolean lastSmtpConnected;

  DeliveryWarmUp(MessageRenderer renderer, EmailSender email, WebhookSender webhook, NotificationStore store,
      DeliveryOutcomes outcomes, TransactionTemplate tx, Clock clock,
      @Value("${notification.warmup.rounds:200}") int rounds) {
    this.renderer = renderer;
    this.email = email;
    this.webhook = webhook;
    this.store = store;
    this.outcomes = outcomes;
    this.tx = tx;
    this.clock = clock;
    this.rounds = rounds;
  }

  @Override
  public void start() {
    long t0 = System.nanoTime();
    int composed = compose();
    boolean smtp = smtp();
    lastSmtpConnected = smtp;
    int recorded = deliveryLog(Math.max(1, rounds / 10));
    lastRecorded = recorded;
    log.info("Delivery warm-up done in {} ms: {} messages composed, SMTP connection {}, {} deliveries recorded (rolled back)",
        (System.nanoTime() - t0) / 1_000_000, composed, smtp ? "opened and kept" : "not opened", recorded);
    running = true;
  }

  /** Deliveries recorded (and rolled back) by the last run, or -1 before it ran. */
  int lastRecorded() {
    return lastRecorded;
  }

  /** Whether the last run opened (or found) an SMTP connection and left it in the pool. */
  boolean lastSmtpConnected() {
    return lastSmtpConnected;
  }

  private int compose() {
    int n = 0;
    try {
      for (int i = 0; i < rounds; i++) {
        for (Notification s : samples(clock.instant())) {
          Message m = renderer.render(s);
          if (s.channel() == Channel.EMAIL) {
            email.compose(s, m).writeTo(OutputStream.nullOutputStream());
          } else {
            webhook.prepare(s, m);
          }
          n++;
        }
      }
    } catch (Exception e) {
      log.warn("Delivery warm-up: composing stopped after {} messages: {}", n, e.getClass().getSimpleName());
    }
    return n;
  }

  private boolean smtp() {
    try {
      return email.preconnect();
    } catch (Exception e) {
      log.warn("Delivery warm-up: no connection to the SMTP server ({}); the first send will open one", e.getClass().getSimpleName());
      return false;
    }
  }

  private int deliveryLog(int times) {
    int n = 0;
    for (int i = 0; i < times; i++) {
      try {
        Boolean recorded = tx.execute(status -> {
          status.setRollbackOnly(); // nothing of this round is kept
          Instant now = clock.instant();
          Notification row = sample(Channel.EMAIL, "coordinator-desk", LONG_AGO);
          store.insert(row);
          UUID token = UUID.randomUUID();
          // the synthetic row is due longest ago and critical: the first of any claim
          List<Notification> claimed = store.claimDue(now, now.plus(Duration.ofSeconds(30)), token, 1);
          if (claimed.isEmpty() || !claimed.get(0).id().equals(row.id()) || !store.renewClaim(row.id(), token, now.plusSeconds(30))) {
            return false;
          }
          return outcomes.delivered(claimed.get(0), token, now, clock.instant());
        });
        n += Boolean.TRUE.equals(recorded) ? 1 : 0;
      } catch (RuntimeException e) {
        log.warn("Delivery warm-up: delivery log round stopped after {}: {}", n, e.getClass().getSimpleName());
        return n;
      }
    }
    return n;
  }

  private static List<Notification> samples(Instant now) {
    return List.of(sample(Channel.EMAIL, "on-call-spine-surgeon", now), sample(Channel.WEBHOOK, "on-call-spine-surgeon", now));
  }

  private static Notification sample(Channel channel, String recipient, Instant at) {
    return Notification.pending("warmup-" + UUID.randomUUID(), "pathway.alert.raised.v1", "WARMUP-0", "WARMUP-PW", "CRITICAL",
        "RED_FLAG", "Critical alert: red flag", "Synthetic notification of the start-up warm-up; never sent.", recipient, channel,
        0, 0, null, true, true, at);
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
