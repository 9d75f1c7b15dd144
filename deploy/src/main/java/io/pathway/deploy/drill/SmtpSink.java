package io.pathway.deploy.drill;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.Managers;
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
    // the server's stores, held here: GreenMail's stop() replaces them with empty ones, and a session still inside
    // its DATA at the stop goes on storing into these
    Managers stores = mail.getManagers();
    Map<String, Integer> seen = new HashMap<>();
    BufferedWriter out = Files.newBufferedWriter(journal, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    // a stop (the drills' outage) first closes the server, then journals what it took since the last look: a
    // message the server acknowledged just before the stop is in the journal too. The journal reads the stores held
    // above: after stop() the server's own are new and empty, which lost one or two e-mails acknowledged in the last
    // 50 ms before a stop (R5, 2026-12-07). A session inside its DATA at the stop may still store and acknowledge its
    // message afterwards, so the journal is read until nothing new has come for half a second, at most 5 s
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      mail.stop();
      try {
        long end = System.nanoTime() + 5_000_000_000L;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < 500_000_000L && System.nanoTime() < end) {
          if (journalNew(stores, seen, out)) {
            quietSince = System.nanoTime();
          }
          Thread.sleep(50);
        }
        out.close();
      } catch (Exception e) {
        System.err.println("SMTP journal not completed at stop: " + e);
      }
    }));
    while (true) {
      journalNew(stores, seen, out);
      Thread.sleep(50);
    }
  }

  /** Appends the messages stored since the last call, one line each, and flushes; true when there were any. */
  private static synchronized boolean journalNew(Managers stores, Map<String, Integer> seen, BufferedWriter out) throws Exception {
    boolean any = false;
    // each mailbox is append-only in arrival order; the list across mailboxes is not
    for (GreenMailUser user : stores.getUserManager().listUser()) {
      List<StoredMessage> inbox = stores.getImapHostManager().getInbox(user).getMessages();
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
    return any;
  }
}
