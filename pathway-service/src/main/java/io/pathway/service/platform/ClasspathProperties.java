package io.pathway.service.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** A UTF-8 properties file shipped with the service (texts and labels people read), as an immutable map. */
public final class ClasspathProperties {

  private ClasspathProperties() {}

  /** Loads {@code resource} (e.g. {@code /labels/code-labels.properties}); a missing file stops the caller. */
  public static Map<String, String> load(String resource) {
    Properties p = new Properties();
    try (InputStream in = ClasspathProperties.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource.substring(1) + " is missing");
      }
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> map = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
    return Map.copyOf(map);
  }
}
