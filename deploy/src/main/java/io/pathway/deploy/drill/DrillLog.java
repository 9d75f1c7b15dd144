package io.pathway.deploy.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a drill says (printed and kept for its report) and when each of its moments happened. */
final class DrillLog {

  private final List<String> report = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Long> marks = Collections.synchronizedMap(new LinkedHashMap<>());

  void mark(String what) {
    marks.put(what, System.currentTimeMillis());
    say("t=%s %s", DateTimeFormatter.ISO_INSTANT.format(Instant.now()), what);
  }

  void say(String format, Object... args) {
    String line = String.format(Locale.ROOT, format, args);
    report.add(line);
    System.out.println(line);
  }

  /** The moments marked, in order, with their times (epoch milliseconds). */
  Map<String, Long> marks() {
    synchronized (marks) {
      return new LinkedHashMap<>(marks);
    }
  }

  void write(Path file) throws IOException {
    synchronized (report) {
      Files.write(file, report, StandardCharsets.UTF_8);
    }
  }
}
