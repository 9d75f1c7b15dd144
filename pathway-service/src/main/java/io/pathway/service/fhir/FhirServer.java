package io.pathway.service.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.ETagSupportEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;

/**
 * The FHIR R4 endpoint: HAPI's plain server, read and search only, with the providers of
 * {@link FhirProviders}. No paging provider: pages are offsets into the projection, so a next link
 * works on any replica. The CapabilityStatement at /fhir/metadata is HAPI's, generated from the
 * providers, so it states what is really served.
 */
class FhirServer extends RestfulServer {

  static final int DEFAULT_PAGE_SIZE = 50;

  FhirServer(FhirContext fhir, List<ProjectedResources> providers) {
    super(fhir);
    setResourceProviders(providers.toArray(new ProjectedResources[0]));
    setDefaultResponseEncoding(EncodingEnum.JSON);
    setDefaultPageSize(DEFAULT_PAGE_SIZE);
    setETagSupport(ETagSupportEnum.ENABLED);
    registerInterceptor(new HideInternalErrors());
    setServerName("Pathway FHIR R4 read interface");
    setImplementationDescription("Pathway: the care pathway, its orders, referrals, tasks, red flags, alerts and decisions "
        + "(read and search only; patients by pseudonymous identifier, no Patient resource)");
  }
}
