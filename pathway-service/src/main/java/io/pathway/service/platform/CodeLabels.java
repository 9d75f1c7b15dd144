package io.pathway.service.platform;

import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a clinician reads for each code of the contract and the models ({@code labels/code-labels.properties}):
 * one code, a list of codes ({@code "A,B"} or {@code "[A, B]"}) or a sentence with codes in it.
 */
public final class CodeLabels {

  /** A token that looks like a code: upper case, digits and underscores, at least one underscore or four letters. */
  public static final Pattern CODE = Pattern.compile("\\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\\b|\\b[A-Z]{4,}\\b");
  private static final Map<String, String> LABELS = load();

  private CodeLabels() {}

  /** Every code with its label. */
  public static Map<String, String> all() {
    return LABELS;
  }

  /** The label of one code, or the value itself when it is no code. */
  public static String of(Object code) {
    if (code == null) {
      return "";
    }
    String text = code.toString().trim();
    return LABELS.getOrDefault(text, text);
  }

  /** A list of codes as labels separated by "; ", whether it came as a collection, "A,B" or "[A, B]". */
  public static String list(Object codes) {
    if (codes == null) {
      return "";
    }
    Collection<?> items = codes instanceof Collection<?> c ? c
        : java.util.Arrays.asList(codes.toString().replace("[", "").replace("]", "").split(","));
    return items.stream().map(CodeLabels::of).filter(s -> !s.isBlank()).distinct().collect(Collectors.joining("; "));
  }

  /** A sentence with every known code replaced by its label; brackets around a list of codes go. */
  public static String text(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    Matcher list = Pattern.compile("\\[([A-Z0-9_, ]+)]").matcher(s);
    StringBuilder out = new StringBuilder();
    while (list.find()) {
      list.appendReplacement(out, Matcher.quoteReplacement(list(list.group(1))));
    }
    list.appendTail(out);
    Matcher m = CODE.matcher(out.toString());
    StringBuilder done = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(done, Matcher.quoteReplacement(LABELS.getOrDefault(m.group(), m.group())));
    }
    m.appendTail(done);
    return done.toString();
  }

  private static Map<String, String> load() {
    return io.pathway.service.platform.ClasspathProperties.load("/labels/code-labels.properties");
  }

}
