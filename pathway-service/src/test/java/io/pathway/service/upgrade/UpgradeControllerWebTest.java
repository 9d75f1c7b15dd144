package io.pathway.service.upgrade;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * How the upgrade API answers what the service refuses, with the web layer alone: an unknown dry run or target is
 * 404, a request the service finds invalid 400, one that conflicts with the state 409; the caller is recorded.
 */
@WebMvcTest(UpgradeController.class)
@WithMockUser("operator-1")
class UpgradeControllerWebTest {

  @Autowired MockMvc mvc;
  @MockitoBean UpgradeService upgrades;

  @Test
  void shouldAnswer404ForADryRunOrRunThatDoesNotExist() throws Exception {
    when(upgrades.storedDryRun("nope")).thenReturn(Optional.empty());
    when(upgrades.run("nope")).thenReturn(Optional.empty());

    mvc.perform(get("/api/upgrades/dry-runs/nope")).andExpect(status().isNotFound());
    mvc.perform(get("/api/upgrades/runs/nope")).andExpect(status().isNotFound());
  }

  @Test
  void shouldMapTheServicesRefusalsToTheirStatusesAndPassTheCaller() throws Exception {
    when(upgrades.dryRun(any(), eq("operator-1"))).thenThrow(new IllegalArgumentException("no instructions for a stage"));
    when(upgrades.migrate(eq("DR-1"), any(), eq("operator-1"))).thenThrow(new IllegalStateException("already migrated"));
    when(upgrades.migrate(eq("DR-2"), any(), eq("operator-1"))).thenThrow(new NoSuchElementException("no dry run DR-2"));

    mvc.perform(post("/api/upgrades/dry-runs").with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{}"))
        .andExpect(status().isBadRequest());
    mvc.perform(post("/api/upgrades/dry-runs/DR-1/migration").with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{}"))
        .andExpect(status().isConflict());
    mvc.perform(post("/api/upgrades/dry-runs/DR-2/migration").with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{}"))
        .andExpect(status().isNotFound());
  }

  @Test
  void shouldMigrateOnlyThePathwaysNamedInTheRequest() throws Exception {
    when(upgrades.migrate(eq("DR-3"), anyList(), eq("operator-1"))).thenThrow(new IllegalStateException("stop here"));

    mvc.perform(post("/api/upgrades/dry-runs/DR-3/migration").with(csrf()).contentType(MediaType.APPLICATION_JSON)
        .content("{\"pathwayIds\":[\"PW-1\",\"PW-2\"]}")).andExpect(status().isConflict());

    verify(upgrades).migrate("DR-3", List.of("PW-1", "PW-2"), "operator-1");
  }

  @Test
  void shouldTakeOnlyJsonForTheJsonApi() throws Exception {
    mvc.perform(post("/api/upgrades/dry-runs").with(csrf()).contentType(MediaType.TEXT_PLAIN).content("x"))
        .andExpect(status().isUnsupportedMediaType());
  }
}
