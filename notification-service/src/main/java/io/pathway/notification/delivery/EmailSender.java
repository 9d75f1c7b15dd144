package io.pathway.notification.delivery;

import io.pathway.model.codes.Channel;
import io.pathway.notification.NotificationProperties;
import io.pathway.notification.routing.Router;
import jakarta.annotation.PreDestroy;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * E-mail over SMTP (Spring Mail): plain text, UTF-8, with headers naming the notification and its event.
 * The {@code Message-ID} is derived from the notification ({@code <notification-id@domain>}), so a
 * resend of the same notification (after a crash between "accepted" and "recorded") carries the same
 * one and the receiver can recognise it. Spring's {@code JavaMailSenderImpl} keeps an explicitly set
 * {@code Message-ID} instead of generating one when it saves the message, and so does the pool.
 * <p>With Spring's {@code JavaMailSenderImpl} (always, with Spring Boot's mail auto-configuration) the
 * e-mails go through a {@link SmtpConnectionPool} on that sender's session, host, port, user and
 * password, so every {@code spring.mail.*} setting applies and a connection serves many e-mails
 * ({@code notification.mail.pool.*}). Another {@link JavaMailSender} sends each e-mail itself.
 */
@Component
class EmailSender implements ChannelSender {

  static final String HEADER_NOTIFICATION_ID = "X-Pathway-Notification-Id";
  static final String HEADER_EVENT_ID = "X-Pathway-Event-Id";

  private final JavaMailSender mail;
  private final Router router;
  private final String from;
  private final String messageIdDomain;
  /** Null when the sender is not a {@link JavaMailSenderImpl}. */
  private final SmtpConnectionPool connections;

  EmailSender(JavaMailSender mail, Router router, NotificationProperties properties) {
    this.mail = mail;
    this.router = router;
    this.from = properties.mail().from();
    this.messageIdDomain = properties.mail().messageIdDomain();
    this.connections = mail instanceof JavaMailSenderImpl impl ? pool(impl, properties) : null;
  }

  /** At most as many kept connections as there are senders: more could never be in use at once. */
  private static SmtpConnectionPool pool(JavaMailSenderImpl impl, NotificationProperties properties) {
    NotificationProperties.Pool config = properties.mail().pool();
    int maxIdle = Math.min(config.maxIdle(), properties.delivery().parallelSends());
    return new SmtpConnectionPool(() -> SmtpConnectionPool.connect(impl.getSession(), impl.getProtocol(), impl.getHost(),
        impl.getPort(), impl.getUsername(), impl.getPassword()), maxIdle, config.maxIdleTime());
  }

  @Override
  public Channel channel() {
    return Channel.EMAIL;
  }

  /** The stable {@code Message-ID} of a notification's e-mail. */
  static String messageId(Notification n, String domain) {
    return "<" + n.id() + "@" + domain + ">";
  }

  @Override
  public void send(Notification n, Message message) throws Exception {
    MimeMessage mime = compose(n, message);
    if (connections == null) {
      mail.send(mime);
    } else {
      connections.send(mime);
    }
  }

  /** The e-mail of a notification, as it would be sent. */
  MimeMessage compose(Notification n, Message message) throws Exception {
    String to = router.emailOf(n.recipient())
        .orElseThrow(() -> new NoAddressException("recipient " + n.recipient() + " has no e-mail address configured"));
    MimeMessage mime = mail.createMimeMessage();
    MimeMessageHelper helper = new MimeMessageHelper(mime, false, StandardCharsets.UTF_8.name());
    helper.setFrom(from);
    helper.setTo(to);
    helper.setSubject(message.subject());
    helper.setText(message.text(), false);
    mime.setHeader(HEADER_NOTIFICATION_ID, n.id().toString());
    mime.setHeader(HEADER_EVENT_ID, n.sourceEventId());
    if (n.priority().equals("CRITICAL") || n.priority().equals("EMERGENCY")) {
      mime.setHeader("X-Priority", "1");
      mime.setHeader("Importance", "high");
    }
    mime.setHeader("Message-ID", messageId(n, messageIdDomain));
    return mime;
  }

  /**
   * Opens a connection to the SMTP server and keeps it for the next e-mail (no mail is sent); false
   * when the sender is not Spring's {@code JavaMailSenderImpl} (no pool).
   */
  boolean preconnect() throws MessagingException {
    if (connections == null) {
      return false;
    }
    connections.preconnect();
    return true;
  }

  /** The kept SMTP connections, or null without a pool. */
  SmtpConnectionPool connections() {
    return connections;
  }

  @PreDestroy
  void closeConnections() {
    if (connections != null) {
      connections.close();
    }
  }
}
