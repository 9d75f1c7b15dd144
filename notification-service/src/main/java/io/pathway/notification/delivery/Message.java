package io.pathway.notification.delivery;

/** A notification as a reader sees it: subject, plain text, and the links it carries. */
record Message(String subject, String text, String pathwayLink, String acknowledgeLink) {}
