package io.circles.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code serve}: the server and a worker in one process (the default command). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the server (WebSockets, webhooks) and a worker. The default when no command is given.")
public class ServeCommand implements Callable<Integer> {
    @ParentCommand
    CirclesCommand parent;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() {
        return parent.startServer(server, false);
    }
}
