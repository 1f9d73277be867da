package io.circles.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.circles.client.CircleClient;
import io.circles.client.CircleWatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code watch}: prints a circle's live events, one JSON object per line, until interrupted. The client
 * reconnects by itself and resumes the event log after the last event printed, so a restart of the server
 * loses no webhook event.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Print a circle's live events as JSON lines until interrupted (Ctrl-C).",
                "Topics: events (webhook events), store (store writes), tasks (your own tasks).",
                "Exit code 1 when a subscription is refused, 2 on usage errors."})
public class WatchCommand implements Callable<Integer> {
    @ParentCommand
    CirclesCommand parent;

    @Mixin
    ClientOptions options;

    @Option(names = "--topic", paramLabel = "TOPIC", split = ",", defaultValue = "events",
            description = "events, store or tasks; repeat or separate with commas (default: ${DEFAULT-VALUE})")
    List<String> topics;

    @Option(names = "--since", paramLabel = "ID", description = "first replay the event log after this event id")
    String since;

    @Override
    public Integer call() throws InterruptedException {
        for (String topic : topics) {
            if (!List.of("events", "store", "tasks").contains(topic)) {
                throw options.usage("unknown topic '" + topic + "' (events, store or tasks)");
            }
        }
        CircleClient client = options.client(parent.err());
        CountDownLatch interrupted = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            PlayCommand.closeQuietly(client);
            interrupted.countDown();
        }, "watch-exit"));
        try {
            client.connect().join();
            CircleWatch.start(client, topics, since, parent.out()).join();
        } catch (RuntimeException e) {
            ClientOutput.printError(CircleClient.unwrap(e), parent.err());
            PlayCommand.closeQuietly(client);
            return 1;
        }
        interrupted.await();
        return 0;
    }
}
