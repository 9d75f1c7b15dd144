package io.pathway.service.fhir;

import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import java.util.Set;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * The resource providers of /fhir: read and search of each resource type served (docs/fhir.md).
 * The searches a hospital's system expects: by patient identifier, status, _id and _lastUpdated,
 * paged by _offset and _count (with next links), and from a CarePlan _include its ServiceRequests and Tasks.
 */
public final class FhirProviders {

  private FhirProviders() {}

  /**
   * The searches a subject-bearing resource offers: by patient identifier ({@code subject} or {@code patient}), status,
   * {@code _id} and {@code _lastUpdated}, paged. One declaration for every such type; HAPI binds it per provider.
   */
  abstract static class SearchedBySubject extends ProjectedResources {

    SearchedBySubject(FhirStore store, FhirProjection projection) {
      super(store, projection);
    }

    @Search
    public IBundleProvider search(
        @OptionalParam(name = "subject", chainWhitelist = {OptionalParam.ALLOW_CHAIN_NOTCHAINED, "identifier"}) ReferenceParam subject,
        @OptionalParam(name = "patient", chainWhitelist = {OptionalParam.ALLOW_CHAIN_NOTCHAINED, "identifier"}) ReferenceParam patient,
        @OptionalParam(name = "status") TokenOrListParam status,
        @OptionalParam(name = "_id") TokenOrListParam ids,
        @OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated,
        @Offset Integer offset,
        @Count Integer count,
        RequestDetails request) {
      return doSearch(subject, patient, status, ids, lastUpdated, null, offset, count, request);
    }
  }

  /** A pathway (or a stand-alone red-flag escalation). */
  @Component
  public static class CarePlanProvider extends ProjectedResources {

    CarePlanProvider(FhirStore store, FhirProjection projection) {
      super(store, projection);
    }

    @Override
    public Class<CarePlan> getResourceType() {
      return CarePlan.class;
    }


    @Search
    public IBundleProvider search(
        @OptionalParam(name = "subject", chainWhitelist = {OptionalParam.ALLOW_CHAIN_NOTCHAINED, "identifier"}) ReferenceParam subject,
        @OptionalParam(name = "patient", chainWhitelist = {OptionalParam.ALLOW_CHAIN_NOTCHAINED, "identifier"}) ReferenceParam patient,
        @OptionalParam(name = "status") TokenOrListParam status,
        @OptionalParam(name = "_id") TokenOrListParam ids,
        @OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated,
        @IncludeParam(allow = {"CarePlan:activity-reference", "CarePlan:activity-reference:ServiceRequest",
            "CarePlan:activity-reference:Task"}) Set<Include> includes,
        @Offset Integer offset,
        @Count Integer count,
        RequestDetails request) {
      return doSearch(subject, patient, status, ids, lastUpdated, includes, offset, count, request);
    }
  }

  /** An order (diagnostic test or procedure) or a surgical referral. */
  @Component
  public static class ServiceRequestProvider extends SearchedBySubject {

    ServiceRequestProvider(FhirStore store, FhirProjection projection) {
      super(store, projection);
    }

    @Override
    public Class<ServiceRequest> getResourceType() {
      return ServiceRequest.class;
    }


  }

  /** An order's fulfilment, or a coordinator's or clinician's task. */
  @Component
  public static class TaskProvider extends SearchedBySubject {

    TaskProvider(FhirStore store, FhirProjection projection) {
      super(store, projection);
    }

    @Override
    public Class<Task> getResourceType() {
      return Task.class;
    }


  }

  /** A red flag, active while its escalation is open. */
  @Component
  public static class FlagProvider extends SearchedBySubject {

    FlagProvider(FhirStore store, FhirProjection projection) {
      super(store, projection);
    }

    @Override
    public Class<Flag> getResourceType() {
      return Flag.class;
    }


  }

  /** An alert and what became of its deliveries. */
  @Component
  public static class CommunicationProvider extends SearchedBySubject {

    CommunicationProvider(FhirStore store, FhirProjection projection) {
      super(store, projection);
    }

    @Override
    public Class<Communication> getResourceType() {
      return Communication.class;
    }


  }

  /** A decision: proposal, choice, who made it and why. */
  @Component
  public static class ProvenanceProvider extends ProjectedResources {

    ProvenanceProvider(FhirStore store, FhirProjection projection) {
      super(store, projection);
    }

    @Override
    public Class<Provenance> getResourceType() {
      return Provenance.class;
    }


    @Search
    public IBundleProvider search(
        @OptionalParam(name = "patient", chainWhitelist = {OptionalParam.ALLOW_CHAIN_NOTCHAINED, "identifier"}) ReferenceParam patient,
        @OptionalParam(name = "_id") TokenOrListParam ids,
        @OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated,
        @Offset Integer offset,
        @Count Integer count,
        RequestDetails request) {
      return doSearch(null, patient, null, ids, lastUpdated, null, offset, count, request);
    }
  }
}
