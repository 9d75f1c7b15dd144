package io.pathway.model;

import java.util.List;

/** Kafka topics of the event contract, version 1. */
public final class Topics {

  public static final String PATHWAY_ENROLMENTS = "hospital.pathway-enrolments";
  public static final String DIAGNOSTIC_RESULTS = "hospital.diagnostic-results";
  public static final String CLINICAL_OBSERVATIONS = "hospital.clinical-observations";
  public static final String TREATMENT_OUTCOMES = "hospital.treatment-outcomes";

  public static final String ORDERS = "pathway.orders";
  public static final String REFERRALS = "pathway.referrals";
  public static final String ALERTS = "pathway.alerts";
  public static final String STATUS = "pathway.status";
  public static final String NOTIFICATION_DELIVERIES = "notification.deliveries";

  /** Suffix of the dead-letter topic of every topic. */
  public static final String DLT_SUFFIX = ".DLT";

  /** Topics hospital systems write and the platform reads. */
  public static final List<String> INBOUND =
      List.of(PATHWAY_ENROLMENTS, DIAGNOSTIC_RESULTS, CLINICAL_OBSERVATIONS, TREATMENT_OUTCOMES);

  /** Topics the platform writes. */
  public static final List<String> OUTBOUND =
      List.of(ORDERS, REFERRALS, ALERTS, STATUS, NOTIFICATION_DELIVERIES);

  private Topics() {}

  public static String dlt(String topic) {
    return topic + DLT_SUFFIX;
  }

  /** Every topic of the contract. */
  public static List<String> all() {
    return java.util.stream.Stream.concat(INBOUND.stream(), OUTBOUND.stream()).toList();
  }

  /**
   * Every topic that has a dead-letter topic: each inbound topic, and the outbound topics that a
   * platform service consumes (referrals and alerts, read by the notification service).
   */
  public static List<String> withDeadLetter() {
    return List.of(PATHWAY_ENROLMENTS, DIAGNOSTIC_RESULTS, CLINICAL_OBSERVATIONS, TREATMENT_OUTCOMES, REFERRALS, ALERTS);
  }
}
