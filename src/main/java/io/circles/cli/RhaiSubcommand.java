package io.circles.cli;

import io.circles.rhai.cli.RhaiCommand;

/** {@code rhai FILE | - | --jsonl}: delegates to the engine's own runner. */
final class RhaiSubcommand {
    private RhaiSubcommand() {
    }

    static int run(String[] args) {
        return RhaiCommand.run(args, System.in, System.out, System.err);
    }
}
