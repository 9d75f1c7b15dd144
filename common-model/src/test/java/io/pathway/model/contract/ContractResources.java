package io.pathway.model.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds the published contract files (schemas, examples, AsyncAPI) on the test classpath. */
final class ContractResources {

  private ContractResources() {}

  static Path root(String folder) {
    URL url = ContractResources.class.getClassLoader().getResource(folder);
    if (url == null) {
      throw new IllegalStateException("No " + folder + " on the classpath");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Example files of every type whose name starts with {@code prefix}, as (type, file). */
  static List<Example> examples(String prefix) {
    try (Stream<Path> files = Files.walk(root("examples"))) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".json"))
          .sorted()
          .map(p -> new Example(p.getParent().getFileName().toString(), p))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Example(String type, Path file) {
    String name() {
      return file.getFileName().toString();
    }

    byte[] bytes() {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The sidecar {@code .expected}: the field (or words) the refusal message must name. */
    String expected() {
      Path sidecar = file.resolveSibling(name().replaceFirst("\\.json$", ".expected"));
      try {
        return Files.readString(sidecar).trim();
      } catch (IOException e) {
        throw new IllegalStateException("Invalid example without its .expected sidecar: " + type + "/" + name(), e);
      }
    }

    @Override
    public String toString() {
      return type + "/" + name();
    }
  }
}
