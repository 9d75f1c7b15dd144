package io.pathway.notification.delivery;

import io.pathway.notification.NotificationProperties;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/**
 * Turns a notification into a readable message. It carries the patient reference (pseudonymous),
 * never a direct identifier: the events have none, and nothing is added here.
 */
@Component
class MessageRenderer {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final NotificationProperties.Links links;

  MessageRenderer(NotificationProperties properties) {
    this.links = properties.links();
  }

  Message render(Notification n) {
    String pathwayLink = pathwayLink(n);
    String ackLink = acknowledgeLink(n);
    String prefix = n.round() > 0 ? "REMINDER " + n.round() + ": " : n.escalationLevel() > 0 ? "ESCALATED: " : "";
    String subject = prefix + "[" + n.priority() + "] " + n.headline() + " - patient " + n.patientRef();

    StringBuilder text = new StringBuilder(512);
    if (n.round() > 0) {
      text.append("REMINDER: this notification has not been acknowledged yet.\n\n");
    } else if (n.escalationLevel() > 0) {
      text.append("ESCALATED to you: nobody has acknowledged this notification yet.\n\n");
    }
    text.append(n.headline()).append('\n');
    text.append("=".repeat(Math.min(n.headline().length(), 72))).append("\n\n");
    text.append("Priority:          ").append(n.priority()).append('\n');
    text.append("Category:          ").append(n.category()).append('\n');
    text.append("Patient reference: ").append(n.patientRef()).append('\n');
    text.append("Pathway:           ").append(n.pathwayId() == null ? "(none)" : n.pathwayId()).append('\n');
    text.append("Notified at:       ").append(TIME.format(n.createdAt())).append("\n\n");
    text.append(n.details()).append("\n\n");
    if (pathwayLink != null) {
      text.append("Open the pathway in Tasklist:\n").append(pathwayLink).append("\n\n");
    }
    if (n.requiresAck()) {
      text.append("ACKNOWLEDGEMENT REQUIRED. Until someone acknowledges, reminders follow and the notification\n")
          .append("escalates. Acknowledge here:\n").append(ackLink).append("\n\n");
    }
    text.append("-- \nPathway notification service. Notification ").append(n.id())
        .append(", event ").append(n.sourceEventId()).append(".\n");
    return new Message(subject, text.toString(), pathwayLink, ackLink);
  }

  /** Tasklist filtered on the pathway's tasks (a process variable {@code pathwayId}), or null without a pathway. */
  String pathwayLink(Notification n) {
    if (n.pathwayId() == null) {
      return null;
    }
    String query = "[{\"type\":\"processVariables\",\"operator\":\"eq\",\"name\":\"pathwayId\",\"value\":\"" + n.pathwayId() + "\"}]";
    return links.tasklistBaseUrl() + "#/?searchQuery=" + URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20");
  }

  String acknowledgeLink(Notification n) {
    String base = links.publicBaseUrl().endsWith("/") ? links.publicBaseUrl().substring(0, links.publicBaseUrl().length() - 1)
        : links.publicBaseUrl();
    return base + "/api/notifications/" + n.id() + "/acknowledge";
  }
}
