package io.pathway.notification.routing;

import java.util.List;

/**
 * Where an event goes.
 *
 * @param destinations every recipient x channel, never empty
 * @param requiresAcknowledgement whether someone must acknowledge it (or it escalates)
 * @param fallback true when no rule matched and the fallback recipient was used
 */
public record RoutingDecision(List<Destination> destinations, boolean requiresAcknowledgement, boolean fallback) {}
