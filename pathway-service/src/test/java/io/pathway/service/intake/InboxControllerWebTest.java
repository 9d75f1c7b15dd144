package io.pathway.service.intake;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pathway.service.platform.Applied;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The inbox's REST API with the web layer alone (the inbox and its matcher are mocks): the list's limit is kept
 * within 1-1000, a replay answers 200 only when the event was applied and is audited whatever came of it, a discard
 * needs a reason and a pending or held entry.
 */
@WebMvcTest(InboxController.class)
@Import(InboxControllerWebTest.Transactions.class)
@WithMockUser("coordinator-1")
class InboxControllerWebTest {

  @TestConfiguration
  static class Transactions {
    /** Transactions that do nothing: the stores are mocks. */
    @Bean
    TransactionTemplate transactionTemplate() {
      return new TransactionTemplate(mock(PlatformTransactionManager.class));
    }
  }

  @Autowired MockMvc mvc;
  @MockitoBean Inbox inbox;
  @MockitoBean InboxMatcher matcher;

  private static Inbox.Entry entry(long id, Inbox.Status status) {
    return new Inbox.Entry(id, "ev-" + id, "pathway.follow-up.recorded.v1", "clinical.observations", "PT-1", status, 1, null,
        Instant.parse("2026-12-06T10:00:00Z"), null, null, null, null);
  }

  @Test
  void shouldKeepTheListsLimitWithinOneToAThousand() throws Exception {
    when(inbox.list(any(), org.mockito.ArgumentMatchers.anyInt())).thenReturn(List.of());

    mvc.perform(get("/api/inbox").param("limit", "0")).andExpect(status().isOk());
    mvc.perform(get("/api/inbox").param("limit", "5000").param("status", "HELD")).andExpect(status().isOk());
    mvc.perform(get("/api/inbox").param("status", "LOST")).andExpect(status().isBadRequest());

    verify(inbox).list(null, 1);
    verify(inbox).list(Inbox.Status.HELD, 1000);
  }

  @Test
  void shouldAnswer404ForAnEntryThatDoesNotExist() throws Exception {
    when(inbox.find(7)).thenReturn(Optional.empty());

    mvc.perform(get("/api/inbox/7")).andExpect(status().isNotFound());
    mvc.perform(post("/api/inbox/7/replay").with(csrf())).andExpect(status().isNotFound());

    verify(matcher, never()).tryMatch(anyLong(), anyString());
  }

  @Test
  void shouldReplayOnlyAPendingEntryAndSay200OnlyWhenItWasApplied() throws Exception {
    when(inbox.find(1)).thenReturn(Optional.of(entry(1, Inbox.Status.PENDING)));
    when(inbox.find(2)).thenReturn(Optional.of(entry(2, Inbox.Status.PENDING)));
    when(inbox.find(3)).thenReturn(Optional.of(entry(3, Inbox.Status.MATCHED)));
    when(matcher.tryMatch(1, "coordinator-1")).thenReturn(Optional.of(Applied.Outcome.APPLIED));
    when(matcher.tryMatch(2, "coordinator-1")).thenReturn(Optional.of(Applied.Outcome.NOT_YET));

    mvc.perform(post("/api/inbox/1/replay").with(csrf()))
        .andExpect(status().isOk()).andExpect(jsonPath("$.outcome").value("APPLIED"));
    mvc.perform(post("/api/inbox/2/replay").with(csrf()))
        .andExpect(status().isConflict()).andExpect(jsonPath("$.outcome").value("NOT_YET"));
    mvc.perform(post("/api/inbox/3/replay").with(csrf())).andExpect(status().isConflict());

    verify(inbox).audit(1, "REPLAY", "coordinator-1", "APPLIED");
    verify(inbox).audit(2, "REPLAY", "coordinator-1", "NOT_YET");
    verify(matcher, never()).tryMatch(3, "coordinator-1");
  }

  @Test
  void shouldAuditAReplayThatFoundTheEntryBusy() throws Exception {
    when(inbox.find(4)).thenReturn(Optional.of(entry(4, Inbox.Status.PENDING)));
    when(matcher.tryMatch(4, "coordinator-1")).thenReturn(Optional.empty());

    mvc.perform(post("/api/inbox/4/replay").with(csrf())).andExpect(status().isConflict());

    verify(inbox).audit(4, "REPLAY", "coordinator-1", "BUSY");
  }

  @Test
  void shouldDiscardOnlyWithAReasonAndOnlyAPendingOrHeldEntry() throws Exception {
    when(inbox.find(5)).thenReturn(Optional.of(entry(5, Inbox.Status.HELD)));
    when(inbox.find(6)).thenReturn(Optional.of(entry(6, Inbox.Status.EXPIRED)));

    mvc.perform(post("/api/inbox/5/discard").with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{\"reason\":\" \"}"))
        .andExpect(status().isBadRequest());
    mvc.perform(post("/api/inbox/6/discard").with(csrf()).contentType(MediaType.APPLICATION_JSON)
        .content("{\"reason\":\"sent twice by the lab\"}")).andExpect(status().isConflict());
    verify(inbox, never()).discarded(anyLong(), anyString());

    mvc.perform(post("/api/inbox/5/discard").with(csrf()).contentType(MediaType.APPLICATION_JSON)
        .content("{\"reason\":\"dated next year; asked the lab for a corrected record\"}")).andExpect(status().isOk());
    verify(inbox).discarded(5, "coordinator-1");
    verify(inbox).audit(5, "DISCARD", "coordinator-1", "dated next year; asked the lab for a corrected record");
  }
}
