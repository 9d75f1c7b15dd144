package io.pathway.notification.api;

import io.pathway.notification.delivery.Notification;
import io.pathway.notification.delivery.NotificationStore;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.HtmlUtils;

/**
 * The page behind the acknowledgement link of a message (authenticated like the API): what is to be
 * acknowledged and a button that posts the acknowledgement. The button sends a JSON request, which
 * a page of another site cannot forge without a CORS preflight that this service never allows.
 */
@Controller
class AcknowledgementPage {

  private final NotificationStore store;

  AcknowledgementPage(NotificationStore store) {
    this.store = store;
  }

  @GetMapping(path = "/api/notifications/{id}/acknowledge", produces = MediaType.TEXT_HTML_VALUE)
  @ResponseBody
  String page(@PathVariable UUID id) {
    Notification n = store.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    String state = n.acknowledgedAt() != null
        ? "Acknowledged by " + esc(n.acknowledgedBy()) + " at " + n.acknowledgedAt() + "."
        : "Not acknowledged yet.";
    return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Acknowledge notification</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">
        <h1>%s</h1>
        <p><strong>Priority:</strong> %s<br><strong>Patient reference:</strong> %s<br><strong>Pathway:</strong> %s</p>
        <p id="state">%s</p>
        <button id="ack" type="button" style="font-size: 1.2em; padding: .5em 1em">I acknowledge: I am acting on this</button>
        <script>
          document.getElementById('ack').addEventListener('click', async () => {
            const r = await fetch(window.location.pathname, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'});
            const body = r.ok ? await r.json() : null;
            document.getElementById('state').textContent = r.ok
                ? 'Acknowledged by ' + body.acknowledgedBy + ' at ' + body.acknowledgedAt + '.'
                : 'Could not acknowledge (HTTP ' + r.status + '). Try again or call the coordinator desk.';
          });
        </script>
        </body></html>
        """.formatted(esc(n.headline()), esc(n.priority()), esc(n.patientRef()),
        n.pathwayId() == null ? "(none)" : esc(n.pathwayId()), state);
  }

  private static String esc(String s) {
    return HtmlUtils.htmlEscape(s);
  }
}
