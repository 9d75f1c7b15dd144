package io.pathway.deploy.local;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A read-only web page of the mails the local SMTP server received (local run only, bound to localhost). */
final class Mailbox {

  private final HttpServer server;

  private Mailbox(HttpServer server) {
    this.server = server;
  }

  static Mailbox start(int port, GreenMail smtp) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", exchange -> {
      byte[] body = page(smtp.getReceivedMessages()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return new Mailbox(server);
  }

  void stop() {
    server.stop(0);
  }

  static String page(MimeMessage[] messages) {
    StringBuilder html = new StringBuilder("""
        <!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="10">
        <title>Pathway local mailbox</title><style>body{font-family:sans-serif;margin:2em}
        article{border:1px solid #ccc;padding:1em;margin-bottom:1em}pre{white-space:pre-wrap}</style></head><body>
        <h1>Mails sent by the notification service</h1><p>Newest first; the page refreshes every 10 s.</p>
        """);
    if (messages.length == 0) {
      html.append("<p>No mail yet.</p>");
    }
    for (int i = messages.length - 1; i >= 0; i--) {
      MimeMessage m = messages[i];
      try {
        html.append("<article><h2>").append(escape(m.getSubject())).append("</h2><p><b>To:</b> ")
            .append(escape(String.valueOf(java.util.Arrays.toString(m.getRecipients(Message.RecipientType.TO)))))
            .append(" &middot; <b>Sent:</b> ").append(escape(String.valueOf(m.getSentDate()))).append("</p><pre>")
            .append(escape(GreenMailUtil.getBody(m))).append("</pre></article>");
      } catch (MessagingException e) {
        html.append("<article>unreadable message</article>");
      }
    }
    return html.append("</body></html>").toString();
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
