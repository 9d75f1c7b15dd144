package io.pathway.notification.api;

import io.pathway.notification.delivery.Notification;
import io.pathway.notification.delivery.NotificationStore;
import io.pathway.notification.delivery.NotificationStore.Attempt;
import io.pathway.notification.escalation.Acknowledgements;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The delivery log over HTTP: list and filter, one notification with its attempts, acknowledge. */
@RestController
@Validated
@RequestMapping(path = "/api/notifications", produces = MediaType.APPLICATION_JSON_VALUE)
class NotificationController {

  private final NotificationStore store;
  private final Acknowledgements acknowledgements;

  NotificationController(NotificationStore store, Acknowledgements acknowledgements) {
    this.store = store;
    this.acknowledgements = acknowledgements;
  }

  @GetMapping
  NotificationPage list(
      @RequestParam(required = false) Notification.Status status,
      @RequestParam(required = false) @Size(max = 100) String recipient,
      @RequestParam(required = false) @Size(max = 100) String sourceType,
      @RequestParam(required = false) @Size(max = 100) String patientRef,
      @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
      @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
    var filter = new NotificationStore.Filter(status, blankToNull(recipient), blankToNull(sourceType), blankToNull(patientRef));
    List<NotificationView> items = store.search(filter, page, size).stream().map(n -> NotificationView.of(n, null)).toList();
    return new NotificationPage(items, page, size, store.count(filter));
  }

  @GetMapping("/{id}")
  NotificationView get(@PathVariable UUID id) {
    Notification n = store.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    return NotificationView.of(n, store.attemptsOf(id));
  }

  /**
   * Acknowledges for the authenticated user; the reminders and escalations of its event stop. A JSON
   * request only ({@code Content-Type: application/json}, body {@code {}}): a page of another site
   * cannot send one with the browser's credentials without a CORS preflight.
   */
  @PostMapping(path = "/{id}/acknowledge", consumes = MediaType.APPLICATION_JSON_VALUE)
  NotificationView acknowledge(@PathVariable UUID id, Principal user) {
    Notification n = acknowledgements.acknowledge(id, user.getName())
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    return NotificationView.of(n, store.attemptsOf(id));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  record NotificationPage(List<NotificationView> items, int page, int size, long total) {}

  record NotificationView(
      UUID id, String sourceEventId, String sourceType, String patientRef, String pathwayId, String priority,
      String category, String headline, String recipient, String channel, int round, int escalationLevel,
      UUID escalatedFrom, boolean requiresAcknowledgement, String status, int attempts, Instant nextAttemptAt,
      Instant createdAt, Instant deliveredAt, Instant failedAt, String lastError,
      Instant acknowledgedAt, String acknowledgedBy, List<Attempt> attemptLog) {

    static NotificationView of(Notification n, List<Attempt> attempts) {
      return new NotificationView(n.id(), n.sourceEventId(), n.sourceType(), n.patientRef(), n.pathwayId(), n.priority(),
          n.category(), n.headline(), n.recipient(), n.channel().name(), n.round(), n.escalationLevel(), n.escalatedFrom(),
          n.requiresAck(), n.status().name(), n.attempts(), n.nextAttemptAt(), n.createdAt(), n.deliveredAt(), n.failedAt(),
          n.lastError(), n.acknowledgedAt(), n.acknowledgedBy(), attempts);
    }
  }
}
