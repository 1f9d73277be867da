package io.circles.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.circles.ws.CircleRpc;

/** openrpc.json is the contract: methods, parameters and error codes must agree with the code. */
class OpenRpcContractTest {
    private static final JsonNode DOCUMENT = load();

    private static JsonNode load() {
        try {
            return new ObjectMapper().readTree(new File("openrpc.json"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void every_method_and_its_parameters_agree_with_the_code() {
        Map<String, List<String>> documented = new TreeMap<>();
        for (JsonNode method : DOCUMENT.get("methods")) {
            List<String> params = new ArrayList<>();
            method.get("params").forEach(p -> params.add(p.get("name").asText()));
            documented.put(method.get("name").asText(), params);
        }
        Map<String, List<String>> implemented = new TreeMap<>();
        new CircleRpc(null, null, null, null, null, null, null, null, null, null).methods().forEach((name, method) -> implemented.put(name, method.params()));
        assertEquals(documented, implemented);
    }

    @Test
    void required_flags_agree_with_the_code() {
        Map<String, Integer> documented = new TreeMap<>();
        for (JsonNode method : DOCUMENT.get("methods")) {
            int required = 0;
            for (JsonNode p : method.get("params")) {
                required += p.path("required").asBoolean() ? 1 : 0;
            }
            documented.put(method.get("name").asText(), required);
        }
        Map<String, Integer> implemented = new TreeMap<>();
        new CircleRpc(null, null, null, null, null, null, null, null, null, null).methods().forEach((name, method) -> implemented.put(name, method.required()));
        assertEquals(documented, implemented);
    }

    @Test
    void every_error_code_is_documented_and_every_documented_code_exists() throws IllegalAccessException {
        TreeSet<Integer> inCode = new TreeSet<>();
        for (Field field : ErrorCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                inCode.add(field.getInt(null));
            }
        }
        TreeSet<Integer> documented = new TreeSet<>();
        DOCUMENT.path("components").path("errors").forEach(e -> documented.add(e.get("code").asInt()));
        assertEquals(inCode, documented);
        TreeSet<Integer> perMethod = new TreeSet<>();
        DOCUMENT.get("methods").forEach(m -> m.path("errors").forEach(e -> perMethod.add(e.get("code").asInt())));
        assertEquals(true, documented.containsAll(perMethod), "method errors must be in the catalogue: " + perMethod);
    }
}
