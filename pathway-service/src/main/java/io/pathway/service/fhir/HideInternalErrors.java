package io.pathway.service.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An unexpected failure answers 500 with a bare OperationOutcome: HAPI would quote the exception's
 * message, and a database error's text can quote data (S8: nothing internal in error responses).
 * Client errors (400, 404, 304, ...) keep their message, which names parameters, never values.
 */
@Interceptor
class HideInternalErrors {

  private static final Logger log = LoggerFactory.getLogger(HideInternalErrors.class);

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException hide(Throwable failure) {
    if (failure instanceof BaseServerResponseException answer && !(answer instanceof InternalErrorException)) {
      return answer;
    }
    log.warn("FHIR request failed", failure);
    return new InternalErrorException("Internal error");
  }
}
