package io.pathway.service.views;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The variance ledger as JSON ({@code GET /api/ledger?per=week|month}) and CSV ({@code GET /api/ledger/csv}). */
@RestController
@RequestMapping("/api/ledger")
class LedgerController {

  private final LedgerService ledger;

  LedgerController(LedgerService ledger) {
    this.ledger = ledger;
  }

  @GetMapping
  LedgerService.Ledger ledger(@RequestParam(defaultValue = "week") String per, @RequestParam(defaultValue = "12") int periods) {
    return ledger.ledger(period(per), bounded(periods));
  }

  /** 204 for those who may read the ledger (Tasklist shows them its link); 403 for everyone else. */
  @GetMapping("/access")
  ResponseEntity<Void> access() {
    return ResponseEntity.noContent().build();
  }

  @GetMapping(value = "/csv", produces = "text/csv")
  ResponseEntity<String> csv(@RequestParam(defaultValue = "week") String per, @RequestParam(defaultValue = "12") int periods) {
    LedgerService.Ledger l = ledger.ledger(period(per), bounded(periods));
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"pathway-ledger-" + l.per() + ".csv\"")
        .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
        .body(LedgerCsv.of(l));
  }

  private static LedgerService.Period period(String per) {
    try {
      return LedgerService.Period.valueOf(per.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "per is week or month");
    }
  }

  private static int bounded(int periods) {
    if (periods < 1 || periods > 104) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "periods is 1 to 104");
    }
    return periods;
  }
}
