package io.circles.cli;

/** {@code rhai FILE | - | --jsonl}: delegates to the engine's own runner. */
final class RhaiSubcommand {
    private RhaiSubcommand() {
    }

    static int run(String[] args) {
        System.err.println("rhai: engine not wired yet");
        return 2;
    }
}
