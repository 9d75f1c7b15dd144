package io.pathway.service.intake;

import io.pathway.service.platform.Applied;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Coordinators and operators see what waits in the inbox, and replay or discard an entry (audited). */
@RestController
@RequestMapping("/api/inbox")
class InboxController {

  private final Inbox inbox;
  private final InboxMatcher matcher;
  private final TransactionTemplate tx;

  InboxController(Inbox inbox, InboxMatcher matcher, TransactionTemplate tx) {
    this.inbox = inbox;
    this.matcher = matcher;
    this.tx = tx;
  }

  @GetMapping
  List<Inbox.Entry> list(@RequestParam(name = "status", required = false) Inbox.Status status,
      @RequestParam(name = "limit", defaultValue = "100") int limit) {
    return inbox.list(status, Math.min(Math.max(limit, 1), 1000));
  }

  @GetMapping("/{id}")
  Inbox.Entry get(@PathVariable long id) {
    return inbox.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no inbox entry " + id));
  }

  /** Tries to match the entry now. 200 when it was applied; 409 when it still has nowhere to go. */
  @PostMapping("/{id}/replay")
  ResponseEntity<Map<String, Object>> replay(@PathVariable long id, Principal who) {
    Inbox.Entry entry = get(id);
    if (entry.status() != Inbox.Status.PENDING) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, "entry " + id + " is " + entry.status());
    }
    var matched = matcher.tryMatch(id, who.getName());
    // every replay request is audited, also one that found the poller matching the entry at that moment
    tx.executeWithoutResult(s -> inbox.audit(id, "REPLAY", who.getName(), matched.map(Enum::name).orElse("BUSY")));
    Applied.Outcome outcome = matched
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.CONFLICT, "entry " + id + " is being processed"));
    HttpStatus status = outcome == Applied.Outcome.NOT_YET ? HttpStatus.CONFLICT : HttpStatus.OK;
    return ResponseEntity.status(status).body(Map.of("id", id, "outcome", outcome.name()));
  }

  record Discard(String reason) {}

  @PostMapping("/{id}/discard")
  Inbox.Entry discard(@PathVariable long id, @RequestBody Discard body, Principal who) {
    if (body == null || body.reason() == null || body.reason().isBlank()) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a reason is required to discard an event");
    }
    tx.executeWithoutResult(s -> {
      Inbox.Entry entry = get(id);
      // a held entry (e.g. dated in the future) is never replayed; a person discards it and asks for a corrected record
      if (entry.status() != Inbox.Status.PENDING && entry.status() != Inbox.Status.HELD) {
        throw new ResponseStatusException(HttpStatus.CONFLICT, "entry " + id + " is " + entry.status());
      }
      inbox.discarded(id, who.getName());
      inbox.audit(id, "DISCARD", who.getName(), body.reason().length() > 500 ? body.reason().substring(0, 500) : body.reason());
    });
    return get(id);
  }
}
