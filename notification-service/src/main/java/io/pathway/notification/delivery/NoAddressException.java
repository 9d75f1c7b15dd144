package io.pathway.notification.delivery;

/** The recipient has no address for the channel (the configuration changed after the notification was made). */
class NoAddressException extends Exception {

  private static final long serialVersionUID = 1L;

  NoAddressException(String message) {
    super(message);
  }
}
