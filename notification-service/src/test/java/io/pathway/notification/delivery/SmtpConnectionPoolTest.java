package io.pathway.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The SMTP connection pool against a real SMTP server (GreenMail), without Spring. Connections are
 * counted by a TCP proxy in front of the server, not by the pool.
 */
class SmtpConnectionPoolTest {

  private static final Duration MAX_IDLE_TIME = Duration.ofSeconds(30);

  private GreenMail server;
  private CountingProxy proxy;
  private Session session;
  private final AtomicLong nanos = new AtomicLong();
  private SmtpConnectionPool pool;

  @BeforeEach
  void start() {
    server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    server.start();
    proxy = new CountingProxy(server.getSmtp().getPort());
    Properties props = new Properties();
    props.put("mail.smtp.connectiontimeout", "3000");
    props.put("mail.smtp.timeout", "5000");
    props.put("mail.smtp.writetimeout", "5000");
    session = Session.getInstance(props);
    pool = new SmtpConnectionPool(() -> SmtpConnectionPool.connect(session, null, "127.0.0.1", proxy.port(), "", ""), 4,
        MAX_IDLE_TIME, nanos::get);
  }

  @AfterEach
  void stop() {
    pool.close();
    proxy.close();
    server.stop();
  }

  @Test
  void shouldSendTwoMailsInARowOnOneConnectionKeepingTheirMessageIds() throws Exception {
    // given
    MimeMessage first = mail();
    MimeMessage second = mail();

    // when
    pool.send(first);
    pool.send(second);

    // then
    assertThat(received(2)).extracting(MimeMessage::getMessageID).containsExactly(idOf(first), idOf(second));
    assertThat(proxy.accepted()).isEqualTo(1);
    assertThat(first.getSentDate()).isNotNull();
  }

  @Test
  void shouldReplaceAConnectionTheServerDroppedAndDeliverTheNextMailOnce() throws Exception {
    // given a kept connection that the server side has dropped
    pool.send(mail());
    assertThat(pool.idleCount()).isEqualTo(1);
    proxy.dropAll();
    MimeMessage next = mail();

    // when
    pool.send(next);

    // then it went on a new connection, once
    List<MimeMessage> all = received(2);
    assertThat(all).extracting(MimeMessage::getMessageID).filteredOn(idOf(next)::equals).hasSize(1);
    assertThat(proxy.accepted()).isEqualTo(2);
    assertThat(pool.idleCount()).isEqualTo(1);
  }

  @Test
  void shouldNotReuseAConnectionIdleLongerThanMaxIdleTime() throws Exception {
    // given a connection idle for just under the limit: reused
    pool.send(mail());
    nanos.addAndGet(MAX_IDLE_TIME.minusSeconds(1).toNanos());
    pool.send(mail());
    assertThat(proxy.accepted()).isEqualTo(1);

    // when it is then idle for longer than the limit
    nanos.addAndGet(MAX_IDLE_TIME.plusSeconds(1).toNanos());
    pool.send(mail());

    // then a new connection was opened and the old one is not kept
    received(3);
    assertThat(proxy.accepted()).isEqualTo(2);
    assertThat(pool.idleCount()).isEqualTo(1);
  }

  @Test
  void shouldCloseAndNotKeepAConnectionOnWhichASendFailed() throws Exception {
    // given a kept connection
    pool.send(mail());
    MimeMessage broken = mail();
    broken.setRecipients(jakarta.mail.Message.RecipientType.TO, new InternetAddress[0]);

    // when a send on it fails
    assertThatThrownBy(() -> pool.send(broken)).isInstanceOfSatisfying(MailSendException.class,
        e -> assertThat(e.getFailedMessages()).containsOnlyKeys(broken));

    // then that connection is gone and the next mail opens another
    assertThat(pool.idleCount()).isZero();
    pool.send(mail());
    received(2);
    assertThat(proxy.accepted()).isEqualTo(2);
  }

  @Test
  void shouldFailAsSpringsSenderDoesWhenNoConnectionCanBeOpened() throws Exception {
    // given a kept connection, and then a server that hangs up on every connection
    pool.send(mail());
    proxy.dropAll();
    proxy.hangUp();
    JavaMailSenderImpl spring = new JavaMailSenderImpl();
    spring.setSession(session);
    spring.setHost("127.0.0.1");
    spring.setPort(proxy.port());

    // when both send
    Exception ours = catchSend(() -> pool.send(mail()));
    Exception theirs = catchSend(() -> spring.send(mail()));

    // then the same exception, as the delivery log records it
    assertThat(ours).isExactlyInstanceOf(theirs.getClass()).hasMessage(theirs.getMessage());
    assertThat(ours.getMessage()).startsWith("Mail server connection failed");
    assertThat(ErrorText.className(ours)).isEqualTo(ErrorText.className(theirs));
    assertThat(ErrorText.category(ours)).isEqualTo(ErrorText.category(theirs));
    assertThat(ErrorText.scrubbedMessage(ours)).isEqualTo(ErrorText.scrubbedMessage(theirs));
    assertThat(pool.idleCount()).isZero();
    assertThat(received(1)).hasSize(1);
  }

  @Test
  void shouldKeepThePreconnectedConnectionForTheFirstMailAndSendNothingWithIt() throws Exception {
    // when
    pool.preconnect();

    // then
    assertThat(proxy.accepted()).isEqualTo(1);
    assertThat(server.getReceivedMessages()).isEmpty();
    pool.send(mail());
    received(1);
    assertThat(proxy.accepted()).isEqualTo(1);
  }

  @Test
  void shouldCloseTheKeptConnectionsWhenClosedAndKeepNoneAfterwards() throws Exception {
    // given
    pool.send(mail());

    // when
    pool.close();

    // then
    assertThat(pool.idleCount()).isZero();
    pool.send(mail());
    received(2);
    assertThat(pool.idleCount()).isZero();
    assertThat(proxy.accepted()).isEqualTo(2);
  }

  private MimeMessage mail() throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom("pathway-notifications@hospital.example");
    m.setRecipients(jakarta.mail.Message.RecipientType.TO, "desk@hospital.example");
    m.setSubject("test");
    m.setText("test");
    m.setHeader("Message-ID", "<" + UUID.randomUUID() + "@pathway.invalid>");
    return m;
  }

  private static String idOf(MimeMessage m) throws MessagingException {
    return m.getHeader("Message-ID")[0];
  }

  private List<MimeMessage> received(int count) {
    return await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.asList(server.getReceivedMessages()), l -> l.size() == count);
  }

  private static Exception catchSend(ThrowingRunnable send) {
    try {
      send.run();
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("the send did not fail");
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
