package io.pathway.notification.delivery;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailSendException;

/**
 * Connected SMTP transports kept between e-mails, so that an e-mail costs MAIL, RCPT and DATA on an
 * open connection instead of connect, EHLO, [STARTTLS, AUTH], ..., QUIT each time. At most
 * {@code maxIdle} idle connections are kept, each for at most {@code maxIdleTime} (servers drop idle
 * clients); the most recently used is reused first.
 * <p>Before reuse a kept connection is checked with {@link Transport#isConnected()} (JavaMail's SMTP
 * transport sends NOOP and closes the connection when the answer is not 250 or the socket is gone).
 * A dead one is closed and a fresh connection opened: that happens before anything of the e-mail is
 * sent, so it can neither fail a delivery that a new connection can make nor send an e-mail twice.
 * A connection on which a send failed is closed, never kept, and the e-mail is not sent again here
 * (the server may have accepted its DATA): the failure goes to the delivery worker's retries.
 * <p>{@link #send} behaves as Spring's {@code JavaMailSenderImpl.doSend} for one message, with the same
 * exceptions: {@link MailAuthenticationException} when the login is refused, {@link MailSendException}
 * ("Mail server connection failed", with the cause) when no connection can be opened, and
 * {@link MailSendException} with the failed message when the send fails.
 */
final class SmtpConnectionPool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SmtpConnectionPool.class);
  private static final String HEADER_MESSAGE_ID = "Message-ID";

  /** Opens one connected transport. */
  @FunctionalInterface
  interface Connector {
    Transport connect() throws MessagingException;
  }

  private record Idle(Transport transport, long since) {}

  private final Connector connector;
  private final int maxIdle;
  private final long maxIdleNanos;
  private final LongSupplier nanoTime;
  private final Deque<Idle> idle = new ArrayDeque<>(); // oldest first; guarded by this
  private boolean closed; // guarded by this
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong reused = new AtomicLong();

  SmtpConnectionPool(Connector connector, int maxIdle, Duration maxIdleTime) {
    this(connector, maxIdle, maxIdleTime, System::nanoTime);
  }

  /** With the clock that measures idle time (monotonic nanoseconds), for tests. */
  SmtpConnectionPool(Connector connector, int maxIdle, Duration maxIdleTime, LongSupplier nanoTime) {
    if (maxIdle < 0 || maxIdleTime.isNegative()) {
      throw new IllegalArgumentException("maxIdle and maxIdleTime must not be negative");
    }
    this.connector = connector;
    this.maxIdle = maxIdle;
    this.maxIdleNanos = maxIdleTime.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Connects a transport as Spring's {@code JavaMailSenderImpl.connectTransport} does: the protocol of
   * the sender, else the session's {@code mail.transport.protocol}, else smtp; an empty user name (an
   * unset placeholder) means no login, and with it an empty password means none.
   */
  static Transport connect(Session session, String protocol, String host, int port, String username, String password)
      throws MessagingException {
    String user = username;
    String pass = password;
    if ("".equals(user)) {
      user = null;
      if ("".equals(pass)) {
        pass = null;
      }
    }
    String proto = protocol;
    if (proto == null) {
      proto = session.getProperty("mail.transport.protocol");
      if (proto == null) {
        proto = "smtp";
      }
    }
    Transport transport = session.getTransport(proto);
    transport.connect(host, port, user, pass);
    return transport;
  }

  /** Sends one e-mail on a kept or a new connection, and keeps the connection when the send succeeded. */
  void send(MimeMessage mime) {
    Transport transport;
    try {
      transport = borrow();
    } catch (AuthenticationFailedException e) {
      throw new MailAuthenticationException(e);
    } catch (Exception e) {
      throw new MailSendException("Mail server connection failed", e, Map.of(mime, e));
    }
    try {
      if (mime.getSentDate() == null) {
        mime.setSentDate(new Date());
      }
      String messageId = mime.getMessageID();
      mime.saveChanges();
      if (messageId != null) {
        mime.setHeader(HEADER_MESSAGE_ID, messageId); // saveChanges replaced it: keep the explicit one
      }
      transport.sendMessage(mime, mime.getAllRecipients());
    } catch (Exception e) {
      closeQuietly(transport); // never kept; and never resent here, the server may have accepted the DATA
      throw new MailSendException(Map.of(mime, e));
    }
    release(transport);
  }

  /** Opens a connection, or checks a kept one, and keeps it for the next e-mail; sends nothing. */
  void preconnect() throws MessagingException {
    release(borrow());
  }

  /** A live kept connection, else a new one. */
  Transport borrow() throws MessagingException {
    for (Transport candidate = takeIdle(); candidate != null; candidate = takeIdle()) {
      if (alive(candidate)) {
        reused.incrementAndGet();
        return candidate;
      }
      log.debug("A kept SMTP connection was closed by the server; opening another");
      closeQuietly(candidate);
    }
    Transport fresh = connector.connect();
    opened.incrementAndGet();
    return fresh;
  }

  /** Keeps a connection after a successful send, or closes it when enough are kept or the pool is closed. */
  void release(Transport transport) {
    List<Transport> toClose;
    synchronized (this) {
      toClose = drainExpired();
      if (!closed && idle.size() < maxIdle) {
        idle.addLast(new Idle(transport, nanoTime.getAsLong()));
      } else {
        toClose.add(transport);
      }
    }
    toClose.forEach(SmtpConnectionPool::closeQuietly);
  }

  /** Closes the kept connections; connections in use are closed when they come back. */
  @Override
  public void close() {
    List<Transport> toClose = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.forEach(i -> toClose.add(i.transport()));
      idle.clear();
    }
    toClose.forEach(SmtpConnectionPool::closeQuietly);
  }

  /** Connections opened so far. */
  long opened() {
    return opened.get();
  }

  /** Sends that reused a kept connection so far. */
  long reused() {
    return reused.get();
  }

  synchronized int idleCount() {
    return idle.size();
  }

  /** The most recently kept connection that has not been idle too long (older ones are closed). */
  private Transport takeIdle() {
    List<Transport> expired;
    Idle taken;
    synchronized (this) {
      expired = drainExpired();
      taken = idle.pollLast();
    }
    expired.forEach(SmtpConnectionPool::closeQuietly);
    return taken == null ? null : taken.transport();
  }

  /** Removes the connections idle longer than allowed (the oldest are first); the caller closes them outside the lock. */
  private List<Transport> drainExpired() {
    List<Transport> expired = new ArrayList<>();
    long now = nanoTime.getAsLong();
    while (!idle.isEmpty() && now - idle.peekFirst().since() > maxIdleNanos) {
      expired.add(idle.pollFirst().transport());
    }
    return expired;
  }

  private static boolean alive(Transport transport) {
    try {
      return transport.isConnected(); // SMTP: NOOP, and false (connection closed) without a 250
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void closeQuietly(Transport transport) {
    try {
      transport.close();
    } catch (MessagingException | RuntimeException e) {
      log.debug("Closing an SMTP connection failed: {}", e.getClass().getName());
    }
  }
}
