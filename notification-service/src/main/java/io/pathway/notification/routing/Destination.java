package io.pathway.notification.routing;

import io.pathway.model.codes.Channel;

/** One recipient on one channel. The address is looked up when sending, so a changed rota applies at once. */
public record Destination(String recipient, Channel channel) {}
