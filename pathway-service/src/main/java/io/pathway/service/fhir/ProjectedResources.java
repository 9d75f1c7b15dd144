package io.pathway.service.fhir;

import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.NotModifiedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.DateUtils;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * What every resource type served shares: a read of the stored projection (after catching up the
 * pathway it belongs to), conditional reads, and the searches of docs/fhir.md with offset paging.
 */
abstract class ProjectedResources implements IResourceProvider {

  static final int MAX_COUNT = 500;

  final FhirStore store;
  final FhirProjection projection;

  ProjectedResources(FhirStore store, FhirProjection projection) {
    this.store = store;
    this.projection = projection;
  }

  String typeName() {
    return getResourceType().getSimpleName();
  }

  /** Read of the provider's resource type (HAPI binds it per provider, from {@link #getResourceType()}). */
  @ca.uhn.fhir.rest.annotation.Read
  public Resource read(@ca.uhn.fhir.rest.annotation.IdParam IdType id, RequestDetails request) {
    return doRead(id, request);
  }

  Resource doRead(IdType id, RequestDetails request) {
    String rid = id.getIdPart();
    store.pathwayOf(typeName(), rid).ifPresentOrElse(projection::catchUpPathway, () -> projection.catchUp(1000));
    Resource r = store.read(typeName(), rid).orElseThrow(() -> new ResourceNotFoundException(new IdType(typeName(), rid)));
    // If-Modified-Since has whole seconds (as Last-Modified does); lastUpdated has milliseconds
    String since = request.getHeader("If-Modified-Since");
    if (since != null && !since.isBlank()) {
      Date ims = DateUtils.parseDate(since);
      if (ims != null && r.getMeta().getLastUpdated().getTime() / 1000 <= ims.getTime() / 1000) {
        throw new NotModifiedException("Not Modified");
      }
    }
    return r;
  }

  IBundleProvider doSearch(ReferenceParam subject, ReferenceParam patient, TokenOrListParam status, TokenOrListParam ids,
      DateRangeParam lastUpdated, Set<Include> includes, Integer offset, Integer count, RequestDetails request) {
    String patientRef = patientRef(subject);
    String other = patientRef(patient);
    if (patientRef != null && other != null && !patientRef.equals(other)) {
      return page(List.of(), 0);
    }
    patientRef = patientRef != null ? patientRef : other;
    int from = offset == null ? 0 : offset;
    int size = count == null ? FhirServer.DEFAULT_PAGE_SIZE : count;
    if (from < 0 || size < 0) {
      throw new InvalidRequestException("_offset and _count must not be negative");
    }
    if (size > MAX_COUNT) {
      throw new InvalidRequestException("_count is at most " + MAX_COUNT);
    }
    if (patientRef != null) {
      projection.catchUpPatient(patientRef);
    } else {
      projection.catchUp(10_000);
    }
    FhirStore.Page page = store.search(new FhirStore.Query(typeName(), patientRef, values(ids, true), values(status, false),
        lastUpdated == null || lastUpdated.getLowerBoundAsInstant() == null ? null : lastUpdated.getLowerBoundAsInstant().toInstant(),
        lastUpdated == null || lastUpdated.getUpperBoundAsInstant() == null ? null : lastUpdated.getUpperBoundAsInstant().toInstant(),
        from, size));
    List<IBaseResource> out = new ArrayList<>(page.resources());
    out.forEach(r -> ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put((Resource) r, BundleEntrySearchModeEnum.MATCH));
    if (includes != null && !includes.isEmpty()) {
      out.addAll(included(page.resources(), includes));
    }
    return page(out, page.total());
  }

  /** CarePlan:activity-reference (optionally :ServiceRequest or :Task): what the page's plans reference. */
  private List<Resource> included(List<Resource> matches, Set<Include> includes) {
    Set<String> targets = new LinkedHashSet<>();
    Set<String> pathways = new LinkedHashSet<>();
    for (Resource r : matches) {
      if (r instanceof CarePlan plan) {
        pathways.add(plan.getIdElement().getIdPart());
        for (CarePlan.CarePlanActivityComponent a : plan.getActivity()) {
          if (a.hasReference()) {
            String ref = a.getReference().getReference();
            String type = ref.substring(0, ref.indexOf('/'));
            if (includes.stream().anyMatch(i -> i.getValue().equals("*") || i.getParamTargetType() == null
                || i.getParamTargetType().equals(type))) {
              targets.add(ref);
            }
          }
        }
      }
    }
    List<Resource> included = store.readAll(pathways, targets);
    included.forEach(r -> ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(r, BundleEntrySearchModeEnum.INCLUDE));
    return included;
  }

  /** The pseudonymous patient reference of a {@code subject:identifier} or {@code patient:identifier} parameter. */
  static String patientRef(ReferenceParam p) {
    if (p == null) {
      return null;
    }
    if (!"identifier".equals(p.getResourceType()) && !"identifier".equals(p.getChain())) {
      throw new InvalidRequestException("Patients are named by identifier only (no Patient resource is served): use "
          + "subject:identifier=" + FhirNames.PATIENT_REF + "|<patientRef>");
    }
    String value = p.getValue();
    int bar = value.indexOf('|');
    if (bar >= 0) {
      String system = value.substring(0, bar);
      if (!system.isEmpty() && !system.equals(FhirNames.PATIENT_REF)) {
        throw new InvalidRequestException("Unknown patient identifier system " + system + "; the patient reference system is "
            + FhirNames.PATIENT_REF);
      }
      value = value.substring(bar + 1);
    }
    if (value.isBlank() || value.length() > 128) {
      throw new InvalidRequestException("A patient reference has 1 to 128 characters");
    }
    return value;
  }

  private static List<String> values(TokenOrListParam tokens, boolean ids) {
    if (tokens == null) {
      return null;
    }
    List<String> values = new ArrayList<>();
    for (TokenParam t : tokens.getValuesAsQueryTokens()) {
      String v = t.getValue();
      if (ids && v != null && v.contains("/")) {
        v = v.substring(v.lastIndexOf('/') + 1);
      }
      values.add(v);
    }
    return values;
  }

  /** One page: the matches (and what they include), whatever range HAPI asks for; size() is the total of matches. */
  static IBundleProvider page(List<IBaseResource> resources, int total) {
    String uuid = UUID.randomUUID().toString();
    Date published = new Date();
    return new IBundleProvider() {
      @Override
      public IPrimitiveType<Date> getPublished() {
        return new org.hl7.fhir.r4.model.InstantType(published);
      }

      @Override
      public List<IBaseResource> getResources(int from, int to) {
        return resources;
      }

      @Override
      public String getUuid() {
        return uuid;
      }

      @Override
      public Integer preferredPageSize() {
        return null;
      }

      @Override
      public Integer size() {
        return total;
      }
    };
  }
}
