package io.pathway.service.fhir;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * The naming systems and code systems of the FHIR projection (docs/fhir.md). They are the project's
 * own namespace and are not resolvable; the codes are the event contract's code lists.
 */
final class FhirNames {

  private FhirNames() {}

  static final String BASE = "https://pathway.io/fhir/";

  /** The pseudonymous patient reference of the event contract ({@code patientRef}). */
  static final String PATIENT_REF = BASE + "sid/patient-ref";
  /** The enrolment's referral id (the episode's id at the hospital). */
  static final String REFERRAL_ID = BASE + "sid/referral-id";
  static final String PATHWAY_ID = BASE + "sid/pathway-id";
  static final String ORDER_ID = BASE + "sid/order-id";
  static final String ALERT_ID = BASE + "sid/alert-id";
  static final String USER = BASE + "sid/user";
  static final String GROUP = BASE + "sid/group";
  static final String RECIPIENT = BASE + "sid/recipient";

  static final String CS_PATHWAY_KIND = BASE + "CodeSystem/pathway-kind";
  static final String CS_STAGE = BASE + "CodeSystem/stage";
  static final String CS_OUTCOME = BASE + "CodeSystem/pathway-outcome";
  static final String CS_ORDER_KIND = BASE + "CodeSystem/order-kind";
  static final String CS_ORDER_CODE = BASE + "CodeSystem/order-code";
  static final String CS_FULFILMENT = BASE + "CodeSystem/fulfilment-status";
  static final String CS_CANCEL_REASON = BASE + "CodeSystem/cancel-reason";
  static final String CS_REFERRAL_REASON = BASE + "CodeSystem/referral-reason";
  static final String CS_REFERRAL = BASE + "CodeSystem/referral";
  static final String CS_RED_FLAG = BASE + "CodeSystem/red-flag";
  static final String CS_ALERT_TYPE = BASE + "CodeSystem/alert-type";
  static final String CS_TASK = BASE + "CodeSystem/task";
  static final String CS_TASK_KIND = BASE + "CodeSystem/task-kind";

  /** HL7 code systems the validator knows. */
  static final String HL7_FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category";
  static final String HL7_COMMUNICATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/communication-category";
  static final String HL7_PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

  /** The patient as every resource names it: a logical reference by identifier, never a Patient resource. */
  static Reference patient(String patientRef) {
    return new Reference().setType("Patient").setIdentifier(new Identifier().setSystem(PATIENT_REF).setValue(patientRef));
  }
}
