package io.circles.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code worker}: runs scripts from Redis and serves no WebSockets or webhooks. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run a worker only: it takes scripts from Redis; no WebSockets, no webhooks (circles.server.enabled=false).")
public class WorkerCommand implements Callable<Integer> {
    @ParentCommand
    CirclesCommand parent;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() {
        return parent.startServer(server, true);
    }
}
