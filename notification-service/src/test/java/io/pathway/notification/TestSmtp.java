package io.pathway.notification;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A real SMTP server (GreenMail) on a fixed free port for the whole test JVM; tests stop and restart it. */
public final class TestSmtp {

  private static final int PORT = freePort();
  private static final List<MimeMessage> earlier = new ArrayList<>();
  private static GreenMail server = start();

  private TestSmtp() {}

  public static int port() {
    return PORT;
  }

  /** Every message received so far, also by earlier incarnations of the server. */
  public static synchronized List<MimeMessage> messages() {
    List<MimeMessage> all = new ArrayList<>(earlier);
    if (server != null) {
      all.addAll(Arrays.asList(server.getReceivedMessages()));
    }
    return all;
  }

  public static synchronized void stop() {
    if (server != null) {
      earlier.addAll(Arrays.asList(server.getReceivedMessages()));
      server.stop();
      server = null;
    }
  }

  public static synchronized void restart() {
    if (server == null) {
      server = start();
    }
  }

  public static String header(MimeMessage m, String name) {
    try {
      String[] values = m.getHeader(name);
      return values == null ? null : values[0];
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static GreenMail start() {
    GreenMail g = new GreenMail(new ServerSetup(PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    g.start();
    return g;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
