package io.circles.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.circles.config.CirclesConfig;
import io.circles.dispatch.DispatchConfig;
import io.circles.limits.LimitsConfig;
import io.circles.webhook.WebhookConfig;
import io.smallrye.config.WithDefault;

/**
 * Keeps docs/SECURITY.md true: its limits table must give each setting the default the code has (and list every
 * {@code circles.limits.*} setting), and its attacks table must name exactly the attack tests that exist.
 */
class SecurityDocTest {
    private static final Path DOC = Path.of("docs/SECURITY.md");
    private static final Pattern SETTING_ROW = Pattern.compile("^\\| `(circles\\.[a-z0-9.\\-]+)` \\| ([^|]+) \\|");
    private static final Pattern ATTACK_ROW = Pattern.compile("^\\| `([A-Za-z]+)\\.([a-z0-9_]+)` \\|");
    private static final List<Class<?>> ATTACK_TESTS = List.of(ConnectionAttacksTest.class, AuthAttacksTest.class,
            WebhookAttacksTest.class, RedisFullTest.class, JsonRpcFuzzTest.class, SocketFuzzTest.class, QueueQuotaAttacksTest.class,
            ScriptErrorAttacksTest.class, RedisGrowthTest.class, HeapScenarioIT.class);

    private static List<String> lines() throws IOException {
        return Files.readAllLines(DOC);
    }

    /** Every property of the given mapping with its default ("none" when it has no default). */
    private static void collect(Map<String, String> out, String prefix, Class<?> mapping) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.getParameterCount() != 0 || method.isDefault() || method.getReturnType().isInterface()
                    && !method.getReturnType().getName().startsWith("java.")) {
                continue;
            }
            WithDefault value = method.getAnnotation(WithDefault.class);
            out.put(prefix + kebab(method.getName()), value == null ? "none" : value.value());
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Map<String, String> codeDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        collect(defaults, "circles.limits.", LimitsConfig.class);
        collect(defaults, "circles.webhooks.", WebhookConfig.class);
        collect(defaults, "circles.dispatch.", DispatchConfig.class);
        collect(defaults, "circles.auth.", CirclesConfig.Auth.class);
        collect(defaults, "circles.rpc.", CirclesConfig.Rpc.class);
        return defaults;
    }

    @Test
    void every_limit_in_the_table_has_the_default_the_code_has_and_every_circles_limits_setting_is_listed() throws IOException {
        Map<String, String> code = codeDefaults();
        Set<String> documented = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String line : lines()) {
            Matcher row = SETTING_ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            String setting = row.group(1);
            String shown = row.group(2).strip().replace("`", "");
            documented.add(setting);
            if (!code.containsKey(setting)) {
                problems.add(setting + ": no such setting");
            } else if (!code.get(setting).equals("none") && !code.get(setting).equals(shown)) {
                problems.add(setting + ": documented " + shown + ", code " + code.get(setting));
            }
        }
        code.keySet().stream().filter(s -> s.startsWith("circles.limits.") && !documented.contains(s))
                .forEach(s -> problems.add(s + ": missing from the table"));
        assertEquals(List.of(), problems);
    }

    @Test
    void the_attacks_table_names_exactly_the_attack_tests() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : lines()) {
            Matcher row = ATTACK_ROW.matcher(line);
            if (row.find()) {
                documented.add(row.group(1) + "." + row.group(2));
            }
        }
        Set<String> tests = new TreeSet<>();
        for (Class<?> type : ATTACK_TESTS) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(org.junit.jupiter.api.Test.class)
                        || method.isAnnotationPresent(net.jqwik.api.Property.class)) {
                    tests.add(type.getSimpleName() + "." + method.getName());
                }
            }
        }
        assertTrue(tests.size() >= 10, tests.toString());
        assertEquals(tests, documented);
    }
}
