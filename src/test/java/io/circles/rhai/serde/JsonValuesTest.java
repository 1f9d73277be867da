package io.circles.rhai.serde;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.RhaiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.circles.rhai.types.Blob;
import io.circles.rhai.types.RChar;
import io.circles.rhai.types.RRange;
import io.circles.rhai.types.Unit;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonValuesTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void integersStayIntegralAndFloatsStayFloating() throws Exception {
        assertEquals("42", JsonValues.toJsonString(42L));
        assertEquals("1.0", JsonValues.toJsonString(1.0));
        assertEquals("-2.5", JsonValues.toJsonString(-2.5));
        assertTrue(JsonValues.toJson(42L).isIntegralNumber());
        assertTrue(JsonValues.toJson(1.0).isFloatingPointNumber());
        assertEquals(42L, JsonValues.fromJson(M.readTree("42")));
        assertEquals(1.0, JsonValues.fromJson(M.readTree("1.0")));
        assertInstanceOf(Double.class, JsonValues.parse("1.0"));
        assertInstanceOf(Long.class, JsonValues.parse("-7"));
        assertEquals(100.0, JsonValues.parse("1e2"));
    }

    @Test
    void nonFiniteFloatsBecomeStrings() {
        assertEquals("\"NaN\"", JsonValues.toJsonString(Double.NaN));
        assertEquals("\"inf\"", JsonValues.toJsonString(Double.POSITIVE_INFINITY));
        assertEquals("\"-inf\"", JsonValues.toJsonString(Double.NEGATIVE_INFINITY));
    }

    @Test
    void hugeIntegersBecomeFloats() {
        Object v = JsonValues.parse("123456789012345678901234567890");
        assertInstanceOf(Double.class, v);
        assertEquals(Long.MAX_VALUE, JsonValues.parse("9223372036854775807"));
    }

    @Test
    void containersAndScalars() {
        TreeMap<String, Object> m = new TreeMap<>();
        m.put("b", new ArrayList<>(List.of(1L, "x", true, Unit.INSTANCE)));
        m.put("a", RChar.of('z'));
        m.put("r", new RRange(1, 3, false));
        m.put("blob", new Blob(new byte[] {1, 2}));
        assertEquals("{\"a\":\"z\",\"b\":[1,\"x\",true,null],\"blob\":\"[0102]\",\"r\":\"1..3\"}",
                JsonValues.toJsonString(m));
        assertEquals("null", JsonValues.toJsonString(Unit.INSTANCE));
    }

    @Test
    void parseObject() {
        Object v = JsonValues.parse("{\"x\": [1, 2.5, \"s\", null, false], \"y\": {\"z\": 1}}");
        assertInstanceOf(TreeMap.class, v);
        TreeMap<?, ?> m = (TreeMap<?, ?>) v;
        ArrayList<?> x = (ArrayList<?>) m.get("x");
        assertEquals(Arrays.asList(1L, 2.5, "s", Unit.INSTANCE, false), x);
        assertEquals(1L, ((TreeMap<?, ?>) m.get("y")).get("z"));
    }

    @Test
    void invalidJsonIsAParseError() {
        RhaiException e = assertThrows(RhaiException.class, () -> JsonValues.parse("{oops"));
        assertEquals(ErrorKind.PARSING, e.kind());
        assertThrows(RhaiException.class, () -> JsonValues.parse("[1] 2"));
        assertThrows(RhaiException.class, () -> JsonValues.parse(""));
    }

    @Test
    void roundTripThroughJackson() throws Exception {
        String json = "{\"a\":1,\"b\":[1.5,\"t\",{\"c\":null}],\"d\":true}";
        JsonNode node = M.readTree(json);
        Object rhai = JsonValues.fromJson(node);
        assertEquals(M.writeValueAsString(node), JsonValues.toJsonString(rhai));
    }

    @Test
    void plainJavaConversions() {
        Map<String, Object> java = new LinkedHashMap<>();
        java.put("i", 3);
        java.put("l", 4L);
        java.put("f", 1.5f);
        java.put("big", new BigInteger("5"));
        java.put("dec", new BigDecimal("2.25"));
        java.put("s", new StringBuilder("sb"));
        java.put("c", 'q');
        java.put("list", List.of(1, 2));
        java.put("arr", new int[] {7});
        java.put("bytes", new byte[] {9});
        java.put("n", null);
        Object r = JsonValues.fromJava(java);
        TreeMap<?, ?> m = (TreeMap<?, ?>) r;
        assertEquals(3L, m.get("i"));
        assertEquals(4L, m.get("l"));
        assertEquals(1.5, m.get("f"));
        assertEquals(5L, m.get("big"));
        assertEquals(2.25, m.get("dec"));
        assertEquals("sb", m.get("s"));
        assertEquals(RChar.of('q'), m.get("c"));
        assertEquals(new ArrayList<>(List.of(1L, 2L)), m.get("list"));
        assertEquals(new ArrayList<>(List.of(7L)), m.get("arr"));
        assertInstanceOf(Blob.class, m.get("bytes"));
        assertEquals(Unit.INSTANCE, m.get("n"));

        Object back = JsonValues.toJava(r);
        Map<?, ?> bm = (Map<?, ?>) back;
        assertEquals(List.of(1L, 2L), bm.get("list"));
        assertEquals("q", bm.get("c"));
        assertNull(bm.get("n"));
        assertArrayEquals(new byte[] {9}, (byte[]) bm.get("bytes"));
        assertEquals(List.of("arr", "big", "bytes", "c", "dec", "f", "i", "l", "list", "n", "s"),
                new ArrayList<>(bm.keySet()));
    }

    @Test
    void cyclicJavaStructuresAreRejected() {
        List<Object> self = new ArrayList<>();
        self.add(self);
        assertThrows(IllegalArgumentException.class, () -> JsonValues.fromJava(self));
    }

    @Test
    void parseObjectLikeEngineParseJson() {
        TreeMap<String, Object> m = JsonValues.parseObject("{\"a\": null, \"b\": [1]}", true);
        assertEquals(Unit.INSTANCE, m.get("a"));
        RhaiException noNull = assertThrows(RhaiException.class,
                () -> JsonValues.parseObject("{\"a\": [null]}", false));
        assertEquals(ErrorKind.PARSING, noNull.kind());
        RhaiException notObject = assertThrows(RhaiException.class, () -> JsonValues.parseObject("[1, 2]", true));
        assertEquals(ErrorKind.MISMATCH_OUTPUT_TYPE, notObject.kind());
        assertEquals(2, JsonValues.parseObject("{\"x\": 1, \"y\": {}}", false).size());
    }
}
