package io.pathway.notification.delivery;

import java.util.regex.Pattern;

/**
 * Error text safe for the delivery log: the exception class, and a message with addresses masked,
 * on one line, cut short. Logs get the class only.
 */
final class ErrorText {

  private static final Pattern EMAIL = Pattern.compile("[^\\s<>\"'(),;:]+@[^\\s<>\"'(),;:]+");
  private static final Pattern URL_QUERY = Pattern.compile("\\?[^\\s]*");
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F]+");
  private static final int MAX = 300;

  private ErrorText() {}

  static String className(Throwable e) {
    return root(e).getClass().getName();
  }

  static String scrubbedMessage(Throwable e) {
    Throwable root = root(e);
    String message = root.getMessage();
    if (message == null) {
      return null;
    }
    String clean = CONTROL.matcher(URL_QUERY.matcher(EMAIL.matcher(message).replaceAll("<address>")).replaceAll("?<query>"))
        .replaceAll(" ").trim();
    return clean.length() > MAX ? clean.substring(0, MAX) + "..." : clean;
  }

  /** A short reason for events: the simple class name of the root cause. */
  static String category(Throwable e) {
    return root(e).getClass().getSimpleName();
  }

  private static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
