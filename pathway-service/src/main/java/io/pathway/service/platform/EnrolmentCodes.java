package io.pathway.service.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pathway.bpmn.PathwayModel.Vars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.BadUserRequestException;

/**
 * Code lists of an enrolment (red flags, imaging findings) as the model reads them: a comma-separated
 * list of contract codes. A start form sends a multi-select (a JSON array), an event a list; a value
 * that is not a code of the contract refuses the start with a message that names it, so a red flag
 * typed in free text can never be triaged as something milder than it is.
 */
public final class EnrolmentCodes {

  private static final ObjectMapper JSON = new ObjectMapper();

  private EnrolmentCodes() {}

  /** Checks an enrolment code list as a start sends it; throws {@link IllegalArgumentException} naming the field. */
  public static void check(String field, Object value) {
    try {
      switch (field) {
        case Vars.RED_FLAGS -> normalise(field, value, io.pathway.model.codes.RedFlag.class);
        case Vars.IMAGING_FINDINGS -> normalise(field, value, io.pathway.model.codes.ImagingFinding.class);
        case Vars.IMAGING_LEVEL -> level(value);
        case Vars.IMAGING_SIDE -> side(value);
        default -> throw new IllegalArgumentException("'" + field + "' is not a code list of the enrolment");
      }
    } catch (BadUserRequestException refused) {
      throw new IllegalArgumentException(refused.getMessage(), refused);
    }
  }

  /** A spinal segment ({@code L4-L5}) or root ({@code L5}), as the contract's {@code imagingLevel}. */
  private static final java.util.regex.Pattern SPINAL_LEVEL =
      java.util.regex.Pattern.compile("^(C[1-8]|T([1-9]|1[0-2])|L[1-5]|S[1-5])(-(C[1-8]|T([1-9]|1[0-2])|L[1-5]|S[1-5]))?$");

  /** The imaged lesion's level (F16), trimmed; null when none is given. A value that is not a level is refused. */
  public static String level(Object value) {
    String level = value == null || value.toString().isBlank() ? null : value.toString().trim();
    if (level != null && !SPINAL_LEVEL.matcher(level).matches()) {
      throw new IllegalArgumentException("'" + Vars.IMAGING_LEVEL + "' must be a spinal segment such as L4-L5 or a root such as L5");
    }
    return level;
  }

  /** The imaged lesion's side (F16); null when none is given. A value that is not a side is refused. */
  public static String side(Object value) {
    String side = value == null || value.toString().isBlank() ? null : value.toString().trim();
    if (side != null) {
      try {
        io.pathway.model.codes.LesionSide.valueOf(side);
      } catch (IllegalArgumentException notASide) {
        throw new IllegalArgumentException("'" + Vars.IMAGING_SIDE + "' must be one of "
            + Arrays.toString(io.pathway.model.codes.LesionSide.values()));
      }
    }
    return side;
  }

  public static <E extends Enum<E>> String normalise(String field, Object value, Class<E> codes) {
    List<String> items = items(field, value);
    Set<String> out = new LinkedHashSet<>();
    for (String item : items) {
      String code = item.trim();
      if (code.isEmpty()) {
        continue;
      }
      try {
        Enum.valueOf(codes, code);
      } catch (IllegalArgumentException unknown) {
        throw new BadUserRequestException("'" + field + "' holds a value that is not a code of the contract; choose from "
            + Arrays.toString(codes.getEnumConstants()));
      }
      out.add(code);
    }
    return String.join(",", out);
  }

  private static List<String> items(String field, Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).toList();
    }
    String text = value.toString().trim(); // a String, or a JSON value (Spin) written as JSON text
    if (text.startsWith("[")) {
      try {
        List<String> list = new ArrayList<>();
        for (JsonNode n : JSON.readTree(text)) {
          list.add(n.asText());
        }
        return list;
      } catch (JsonProcessingException e) {
        throw new BadUserRequestException("'" + field + "' is not a list of codes");
      }
    }
    return Arrays.asList(text.split(","));
  }
}
