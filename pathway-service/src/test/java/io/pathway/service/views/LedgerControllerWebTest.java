package io.pathway.service.views;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The ledger's REST input, with the web layer alone (no engine, no database): the period and the number of periods
 * are checked before the ledger is computed. Who may read it is SecurityConfig's, tested in EndpointAccessTest.
 */
@WebMvcTest(LedgerController.class)
@WithMockUser
class LedgerControllerWebTest {

  @Autowired MockMvc mvc;
  @MockitoBean LedgerService ledger;

  private static LedgerService.Ledger empty(String per) {
    return new LedgerService.Ledger(per, Instant.parse("2026-12-06T10:00:00Z"), List.of(), List.of(), List.of(), List.of());
  }

  @Test
  void shouldComputeTwelveWeeksByDefaultAndTakeThePeriodInAnyCase() throws Exception {
    when(ledger.ledger(LedgerService.Period.WEEK, 12)).thenReturn(empty("week"));
    when(ledger.ledger(LedgerService.Period.MONTH, 6)).thenReturn(empty("month"));

    mvc.perform(get("/api/ledger")).andExpect(status().isOk()).andExpect(jsonPath("$.per").value("week"));
    mvc.perform(get("/api/ledger").param("per", "Month").param("periods", "6"))
        .andExpect(status().isOk()).andExpect(jsonPath("$.per").value("month"));
  }

  @Test
  void shouldRefuseAnUnknownPeriodOrAPeriodCountOutsideOneTo104WithoutComputing() throws Exception {
    mvc.perform(get("/api/ledger").param("per", "fortnight")).andExpect(status().isBadRequest());
    mvc.perform(get("/api/ledger").param("periods", "0")).andExpect(status().isBadRequest());
    mvc.perform(get("/api/ledger").param("periods", "105")).andExpect(status().isBadRequest());
    mvc.perform(get("/api/ledger/csv").param("periods", "-1")).andExpect(status().isBadRequest());
    mvc.perform(get("/api/ledger").param("periods", "many")).andExpect(status().isBadRequest());

    verify(ledger, never()).ledger(any(), anyInt());
  }

  @Test
  void shouldAcceptTheBoundsOfThePeriodCount() throws Exception {
    when(ledger.ledger(LedgerService.Period.WEEK, 1)).thenReturn(empty("week"));
    when(ledger.ledger(LedgerService.Period.WEEK, 104)).thenReturn(empty("week"));

    mvc.perform(get("/api/ledger").param("periods", "1")).andExpect(status().isOk());
    mvc.perform(get("/api/ledger").param("periods", "104")).andExpect(status().isOk());
  }

  @Test
  void shouldServeTheCsvAsAnAttachmentNamedByPeriod() throws Exception {
    when(ledger.ledger(LedgerService.Period.MONTH, 12)).thenReturn(empty("month"));

    mvc.perform(get("/api/ledger/csv").param("per", "month"))
        .andExpect(status().isOk())
        .andExpect(header().string("Content-Disposition", "attachment; filename=\"pathway-ledger-month.csv\""))
        .andExpect(header().string("Content-Type", "text/csv;charset=UTF-8"));
  }
}
