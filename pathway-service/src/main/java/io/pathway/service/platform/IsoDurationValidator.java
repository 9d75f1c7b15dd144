package io.pathway.service.platform;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;

/** Checks {@link IsoDuration}: days, hours and minutes exactly; months and years as 30 and 365 days. */
public class IsoDurationValidator implements ConstraintValidator<IsoDuration, String> {

  private Duration min;
  private Duration max;

  @Override
  public void initialize(IsoDuration annotation) {
    min = parse(annotation.min());
    max = parse(annotation.max());
  }

  @Override
  public boolean isValid(String value, ConstraintValidatorContext context) {
    if (value == null || value.isBlank()) {
      return false;
    }
    try {
      Duration d = parse(value.trim());
      return d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static Duration parse(String iso) {
    try {
      return Duration.parse(iso);
    } catch (DateTimeParseException e) {
      Period p = Period.parse(iso);
      return Duration.ofDays(p.getYears() * 365L + p.getMonths() * 30L + p.getDays());
    }
  }
}
