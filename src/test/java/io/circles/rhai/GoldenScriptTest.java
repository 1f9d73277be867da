package io.circles.rhai;

import io.circles.rhai.api.Engine;
import io.circles.rhai.types.RhaiException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden scripts with inline expectations (jlox style), one dynamic test per file under
 * {@code rhai/lang/} and {@code rhai/stdlib/} on the test classpath:
 * <ul>
 *   <li>{@code // expect: text} — the next line printed by {@code print} (or {@code debug}) must equal text;</li>
 *   <li>{@code // expect error: fragment} — the script must fail with a message containing fragment.</li>
 * </ul>
 */
class GoldenScriptTest {
    private static final String EXPECT = "// expect:";
    private static final String EXPECT_ERROR = "// expect error: ";

    @TestFactory
    Stream<DynamicTest> goldenScripts() throws IOException, URISyntaxException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("rhai/lang", "rhai/stdlib")) {
            URL url = GoldenScriptTest.class.getClassLoader().getResource(dir);
            if (url == null) continue;
            try (Stream<Path> s = Files.walk(Paths.get(url.toURI()))) {
                s.filter(p -> p.toString().endsWith(".rhai")).sorted().forEach(files::add);
            }
        }
        assertTrue(!files.isEmpty(), "no golden scripts found");
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getParent().getFileName() + "/" + p.getFileName(),
                () -> run(p)));
    }

    static void run(Path file) throws IOException {
        String src = Files.readString(file, StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>();
        String expectedError = null;
        for (String line : src.split("\n", -1)) {
            int i = line.indexOf(EXPECT);
            if (i >= 0) {
                String rest = line.substring(i + EXPECT.length());
                if (rest.startsWith(" ")) rest = rest.substring(1);
                expected.add(rest.stripTrailing());
            }
            int j = line.indexOf(EXPECT_ERROR);
            if (j >= 0) expectedError = line.substring(j + EXPECT_ERROR.length()).stripTrailing();
        }
        List<String> out = new ArrayList<>();
        Engine engine = Engine.builder().onPrint(out::add).onDebug(out::add).build();
        try {
            engine.eval(src);
            if (expectedError != null) fail("expected error containing '" + expectedError + "' but script succeeded; output " + out);
        } catch (RhaiException e) {
            if (expectedError == null) fail("unexpected error: " + e.getMessage() + "; output so far " + out);
            assertTrue(e.getMessage().contains(expectedError),
                    "error '" + e.getMessage() + "' does not contain '" + expectedError + "'");
        }
        List<String> actual = new ArrayList<>();
        for (String o : out) actual.add(o.stripTrailing());
        assertEquals(String.join("\n", expected), String.join("\n", actual), "printed output of " + file.getFileName());
    }
}
