package io.circles.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Usage errors: the message, a "did you mean" for a mistyped command or flag, then the usage; exit code 2.
 * Picocli's own suggestions rank by shared letter pairs, which misses swapped letters ({@code plya}); this ranks
 * by edit distance counting a swap of neighbours as one edit.
 */
final class Suggestions implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException failure, String[] args) {
        CommandLine line = failure.getCommandLine();
        line.getErr().println(failure.getMessage());
        if (failure instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String typed = unmatched.getUnmatched().get(0);
            List<String> near = nearest(typed, candidates(line.getCommandSpec(), typed));
            if (!near.isEmpty()) {
                String prefix = typed.startsWith("-") ? "" : line.getCommandSpec().qualifiedName() + " ";
                line.getErr().println("Did you mean: " + prefix + String.join(" or " + prefix, near) + "?");
            }
        }
        line.usage(line.getErr());
        return CommandLine.ExitCode.USAGE;
    }

    private static Collection<String> candidates(CommandSpec spec, String typed) {
        if (!typed.startsWith("-")) {
            return spec.subcommands().keySet();
        }
        List<String> names = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                names.addAll(List.of(option.names()));
            }
        }
        return names;
    }

    /** The candidates closest to {@code typed}, if close enough to be a typo (at most a third of it changed). */
    static List<String> nearest(String typed, Collection<String> candidates) {
        String word = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        int limit = Math.max(1, word.replaceFirst("^-+", "").length() / 3);
        int best = Integer.MAX_VALUE;
        List<String> nearest = new ArrayList<>();
        for (String candidate : candidates) {
            int d = distance(word, candidate);
            if (d <= limit && d < best) {
                best = d;
                nearest.clear();
            }
            if (d <= limit && d == best) {
                nearest.add(candidate);
            }
        }
        return nearest;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
