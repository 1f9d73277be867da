package io.circles.cli;

import java.util.Set;

/** Subcommands that run without the server. */
final class Subcommands {
    private static final Set<String> NAMES = Set.of("rhai", "keygen", "sign", "play", "repl");

    private Subcommands() {
    }

    static boolean has(String name) {
        return NAMES.contains(name);
    }

    static int run(String name, String[] args) {
        return switch (name) {
            case "rhai" -> RhaiSubcommand.run(args);
            case "keygen" -> KeygenCommand.run(args, System.in, System.out, System.err);
            case "sign" -> SignCommand.run(args, System.in, System.out, System.err);
            case "play" -> PlayCommand.run(args, System.in, System.out, System.err);
            case "repl" -> ReplCommand.run(args, System.in, System.out, System.err);
            default -> 2;
        };
    }
}
