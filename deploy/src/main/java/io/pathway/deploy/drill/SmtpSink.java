package io.pathway.deploy.drill;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The drills' SMTP server, run as its own process: GreenMail (the server of greenmail-standalone) on
 * {@code 127.0.0.1:<port>}, which appends one line per received message to a journal file
 * ({@code <received millis> <Message-ID> <X-Pathway-Notification-Id>}), so the count survives a stop
 * and restart of the server. {@code SmtpSink <port> <journal>}.
 */
public final class SmtpSink {

  private SmtpSink() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path journal = Path.of(args[1]);
    GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    Map<String, Integer> seen = new HashMap<>();
    BufferedWriter out = Files.newBufferedWriter(journal, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    // a stop (the drills' outage) first closes the server, then journals what it took since the last look: a
    // message the server acknowledged just before the stop is in the journal too
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      mail.stop();
      try {
        journalNew(mail, seen, out);
        out.close();
      } catch (Exception e) {
        System.err.println("SMTP journal not completed at stop: " + e);
      }
    }));
    while (true) {
      journalNew(mail, seen, out);
      Thread.sleep(50);
    }
  }

  /** Appends the messages stored since the last call, one line each, and flushes. */
  private static synchronized void journalNew(GreenMail mail, Map<String, Integer> seen, BufferedWriter out) throws Exception {
    boolean any = false;
    // each mailbox is append-only in arrival order; the list across mailboxes is not
    for (GreenMailUser user : mail.getUserManager().listUser()) {
      List<StoredMessage> inbox = mail.getManagers().getImapHostManager().getInbox(user).getMessages();
      int from = seen.getOrDefault(user.getEmail(), 0);
      for (int i = from; i < inbox.size(); i++) {
        StoredMessage stored = inbox.get(i);
        MimeMessage m = stored.getMimeMessage();
        String[] id = m.getHeader("X-Pathway-Notification-Id");
        // the time the server stored it (accepted the DATA), not the time this loop saw it
        long accepted = stored.getReceivedDate() == null ? System.currentTimeMillis() : stored.getReceivedDate().getTime();
        out.write(accepted + " " + m.getMessageID() + " " + (id == null ? "-" : id[0]));
        out.newLine();
        any = true;
      }
      seen.put(user.getEmail(), inbox.size());
    }
    if (any) {
      out.flush();
    }
  }
}
