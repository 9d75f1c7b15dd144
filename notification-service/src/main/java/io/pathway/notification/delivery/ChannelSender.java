package io.pathway.notification.delivery;

import io.pathway.model.codes.Channel;

/** Sends one notification on one channel; throws when it was not accepted. */
interface ChannelSender {

  Channel channel();

  void send(Notification notification, Message message) throws Exception;
}
