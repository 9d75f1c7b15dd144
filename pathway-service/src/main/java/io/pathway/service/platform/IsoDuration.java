package io.pathway.service.platform;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An ISO-8601 duration as the engine's timers read it ({@code PT30M}, {@code P14D}), between {@link #min}
 * and {@link #max} inclusive.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = IsoDurationValidator.class)
public @interface IsoDuration {

  String min();

  String max();

  String message() default "must be an ISO-8601 duration between {min} and {max}";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
