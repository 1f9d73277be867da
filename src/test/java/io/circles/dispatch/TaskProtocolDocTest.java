package io.circles.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** {@code docs/DISPATCH_PROTOCOL.md} is the contract other implementations follow: it must say what the code does. */
class TaskProtocolDocTest {
    private static final RedisKeys KEYS = new RedisKeys("rhai_task_details:", "rhai_tasks:", "rhai_reply:");

    private static List<String> firstColumn(String section) throws IOException {
        String doc = Files.readString(Path.of("docs/DISPATCH_PROTOCOL.md"));
        int start = doc.indexOf("\n## " + section + "\n");
        int end = doc.indexOf("\n## ", start + 1);
        List<String> cells = new ArrayList<>();
        for (String line : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
            if (line.startsWith("| `")) {
                cells.add(line.substring(3, line.indexOf('`', 3)));
            }
        }
        return cells;
    }

    @Test
    void the_documented_task_fields_are_exactly_those_of_the_task_hash_in_order() throws IOException {
        assertEquals(TaskHash.FIELDS, firstColumn("Task hash fields"));
    }

    @Test
    void the_documented_keys_are_exactly_those_the_key_layout_builds() throws IOException {
        String pk = "<pk>";
        Set<String> built = new TreeSet<>(List.of(KEYS.task(pk, "<task_id>"), KEYS.callerQueue(pk, "<caller>"),
                KEYS.callers(pk), KEYS.queuedBytes(pk), KEYS.running(pk), KEYS.ready(), KEYS.active(), KEYS.workers(),
                KEYS.reply("<instance_id>"), KEYS.events(pk), KEYS.eventBytes(pk), KEYS.seen(pk, "<provider>", "<identity>"),
                KEYS.webhookClaim("<provider>", "<identity>"), KEYS.data(pk), KEYS.dataBytes(pk), KEYS.live(pk)));
        assertEquals(built, new TreeSet<>(firstColumn("Keys")));
    }

    @Test
    void every_per_circle_key_carries_the_circle_as_a_cluster_hash_tag() {
        for (String key : List.of(KEYS.task("abc", "t"), KEYS.callerQueue("abc", "c"), KEYS.callers("abc"), KEYS.queuedBytes("abc"),
                KEYS.running("abc"), KEYS.events("abc"), KEYS.seen("abc", "stripe", "e"), KEYS.data("abc"))) {
            assertEquals("abc", RedisKeys.circleOf(key), key);
        }
    }
}
