package dev.rolebridge.internal.config;

import dev.rolebridge.config.RolebridgeConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the non-empty attributes of a {@link RolebridgeConfig} as parameters, by parameter name. */
public final class AnnotationParameters {

    private AnnotationParameters() {}

    /** The non-empty attributes of {@code config}, by parameter name. */
    public static Map<String, String> of(RolebridgeConfig config) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Method m : RolebridgeConfig.class.getDeclaredMethods()) {
            try {
                String value = (String) m.invoke(config);
                if (!value.isBlank()) {
                    values.put(m.getName(), value);
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read @RolebridgeConfig." + m.getName(), e);
            }
        }
        return values;
    }
}
