package io.pathway.service.config;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Settings of the pathway service ({@code pathway.*}). */
@ConfigurationProperties("pathway")
public record PathwayProperties(
    @DefaultValue("urn:pathway:pathway-service") URI serviceUri,
    @DefaultValue("http://localhost:8080/camunda/app/tasklist/") String tasklistUrl,
    @DefaultValue("false") boolean demoUsers,
    @DefaultValue("false") boolean requireSecrets,
    @DefaultValue("") String apiUser,
    @DefaultValue("") String apiPassword,
    @DefaultValue("P3D") Duration redFlagCarryOver,
    @DefaultValue TopicSettings topics,
    @DefaultValue InboxSettings inbox,
    @DefaultValue OutboxSettings outbox,
    @DefaultValue Clinical clinical) {

  /** How the service creates its topics when it is allowed to (local runs and tests). */
  public record TopicSettings(
      @DefaultValue("12") int partitions, @DefaultValue("1") short replication, @DefaultValue("true") boolean create) {}

  public record InboxSettings(
      @DefaultValue("PT1S") Duration pollInterval, @DefaultValue("PT24H") Duration unmatchedAlertAfter) {}

  public record OutboxSettings(@DefaultValue("500") int batchSize, @DefaultValue("PT0.5S") Duration idleWait) {}

  /**
   * Clinical figures marked "default" in the specification: durations are ISO-8601 strings as
   * the engine's timers read them.
   */
  public record Clinical(
      @DefaultValue("P28D") String followUpDelay,
      @DefaultValue("50") int reliefThresholdPercent,
      @DefaultValue("P14D") String resultOverdueAfter,
      @DefaultValue("P84D") String treatmentOutcomeOverdueAfter,
      @DefaultValue("PT30M") String emergencyTransferSla,
      @DefaultValue("PT4H") String urgentReferralSla,
      @DefaultValue("P14D") String surgicalConsultBookingSla,
      @DefaultValue("P3D") String clinicalTaskDue,
      @DefaultValue("90") int electiveMinFailedCareDays,
      @DefaultValue("P7D") String resultChaseInterval) {}
}
