package io.circles.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.circles.client.CircleClient;
import io.circles.client.CircleRpcException;
import io.circles.client.Identity;
import io.circles.client.PlayResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code repl}: reads scripts from standard input and plays each one. Input continues over several lines while
 * braces, brackets or parentheses (or a back-tick string or block comment) are open. {@code :quit} or end of input
 * ends the session.
 */
@Command(name = "repl", mixinStandardHelpOptions = true,
        description = {"Play scripts interactively, one entry at a time.",
                "Variables do not carry over between entries; functions do: an entry made only of fn definitions",
                "is replayed in front of every later entry.",
                "Commands: :help  :history  :whoami  :cancel (drop a half-typed entry)  :quit (or end of input)"})
public class ReplCommand implements Callable<Integer> {
    static final String HELP = "Commands: :help  :history  :whoami  :cancel (drop a half-typed entry)  :quit (or end of input)";
    static final String PROMPT = "circle> ";
    static final String CONTINUE = "... ";

    @ParentCommand
    CirclesCommand parent;

    @Mixin
    ClientOptions options;

    @Override
    public Integer call() {
        PrintStream out = parent.out();
        CircleClient client = options.client(parent.err());
        try {
            try {
                client.connect().join();
            } catch (RuntimeException e) {
                ClientOutput.printError(CircleClient.unwrap(e), parent.err());
                return 1;
            }
            out.println("Connected to " + client.uri() + (options.key == null ? " (not authenticated)"
                    : " as " + options.key.publicKeyCompressed()) + ". :help for commands, :quit to leave.");
            loop(client, new BufferedReader(new InputStreamReader(parent.in(), StandardCharsets.UTF_8)), out, parent.err());
            return 0;
        } catch (IOException e) {
            parent.err().println("repl: " + e.getMessage());
            return 1;
        } finally {
            PlayCommand.closeQuietly(client);
        }
    }

    private static void loop(CircleClient client, BufferedReader reader, PrintStream out, PrintStream err) throws IOException {
        List<String> history = new ArrayList<>();
        Prelude prelude = new Prelude();
        StringBuilder entry = new StringBuilder();
        while (true) {
            out.print(entry.length() == 0 ? PROMPT : CONTINUE);
            out.flush();
            String line = reader.readLine();
            if (line == null) {
                out.println();
                return;
            }
            if (entry.length() == 0) {
                String command = line.strip();
                if (command.isEmpty()) {
                    continue;
                }
                if (command.startsWith(":")) {
                    if (!command(command, client, history, out, err)) {
                        return;
                    }
                    continue;
                }
            } else if (line.strip().equals(":cancel")) {
                entry.setLength(0);
                continue;
            }
            entry.append(line).append('\n');
            if (!isComplete(entry)) {
                continue;
            }
            String script = entry.toString().stripTrailing();
            entry.setLength(0);
            history.add(script);
            play(client, prelude, script, out, err);
        }
    }

    /** Runs a {@code :command}; false ends the session. */
    private static boolean command(String command, CircleClient client, List<String> history, PrintStream out, PrintStream err) {
        switch (command) {
            case ":quit", ":q", ":exit" -> {
                return false;
            }
            case ":history" -> {
                for (int i = 0; i < history.size(); i++) {
                    String[] lines = history.get(i).split("\n", -1);
                    out.printf("%4d  %s%n", i + 1, lines[0]);
                    for (int j = 1; j < lines.length; j++) {
                        out.println("      " + lines[j]);
                    }
                }
            }
            case ":whoami" -> {
                try {
                    Identity identity = client.whoami().join();
                    out.println("circle: " + identity.circle());
                    out.println("authenticated: " + identity.authenticated() + (identity.pubkey() == null ? "" : " as " + identity.pubkey()));
                } catch (RuntimeException e) {
                    ClientOutput.printError(CircleClient.unwrap(e), err);
                }
            }
            case ":help" -> out.println(HELP);
            case ":cancel" -> { }
            default -> err.println("unknown command " + command + " (:help lists them)");
        }
        out.flush();
        return true;
    }

    private static void play(CircleClient client, Prelude prelude, String script, PrintStream out, PrintStream err) {
        String sent = prelude.text() + script;
        try {
            PlayResult result = client.play(sent).join();
            result.logs().forEach(out::println);
            if (!result.output().isEmpty()) {
                out.println(result.output());
            }
            if (result.output().isEmpty() && result.logs().isEmpty()) {
                prelude.remember(script);
            }
        } catch (RuntimeException e) {
            Throwable failure = CircleClient.unwrap(e);
            ClientOutput.errorLogs(failure).forEach(out::println);
            out.flush();
            ClientOutput.printError(prelude.shift(failure), err);
        }
        out.flush();
    }

    /**
     * Function definitions entered so far, sent in front of each entry so that functions outlive the entry that
     * defined them. Keyed by the first function's name: redefining it replaces the earlier entry. Error positions
     * are shifted back so they point into what the user typed.
     */
    static final class Prelude {
        private static final Pattern FN_ENTRY = Pattern.compile("\\s*(?:private\\s+)?fn\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
        private static final Pattern LINE = Pattern.compile("\\(line (\\d+),");
        private final Map<String, String> definitions = new LinkedHashMap<>();

        /** Keeps {@code entry} if it starts with a function definition (it ran and produced nothing). */
        void remember(String entry) {
            Matcher m = FN_ENTRY.matcher(entry);
            if (m.lookingAt()) {
                definitions.remove(m.group(1));
                definitions.put(m.group(1), entry);
            }
        }

        String text() {
            StringBuilder text = new StringBuilder();
            definitions.values().forEach(d -> text.append(d).append('\n'));
            return text.toString();
        }

        int lines() {
            return (int) text().chars().filter(c -> c == '\n').count();
        }

        /** The failure with "(line N," positions moved back past the prelude. */
        Throwable shift(Throwable failure) {
            int offset = lines();
            if (offset == 0 || !(failure instanceof CircleRpcException rpc)) {
                return failure;
            }
            com.fasterxml.jackson.databind.JsonNode data = rpc.data();
            if (data != null && data.isObject() && rpc.dataError() != null) {
                data = ((com.fasterxml.jackson.databind.node.ObjectNode) data.deepCopy()).put("error", shiftLines(rpc.dataError(), offset));
            }
            return new CircleRpcException(rpc.code(), shiftLines(rpc.rpcMessage(), offset), data);
        }

        static String shiftLines(String text, int offset) {
            Matcher m = LINE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                int line = Integer.parseInt(m.group(1));
                String replacement = line > offset ? "(line " + (line - offset) + "," : "(in an earlier fn definition, line " + line + ",";
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    /**
     * Whether the entry can be sent: every (, [ and { is closed, and no string, back-tick string or block comment
     * is left open. More closers than openers also counts as complete (the server reports the error).
     */
    static boolean isComplete(CharSequence text) {
        int depth = 0;
        int blockComment = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (blockComment > 0) {
                if (c == '*' && next == '/') {
                    blockComment--;
                    i++;
                } else if (c == '/' && next == '*') {
                    blockComment++;
                    i++;
                }
                continue;
            }
            if (quote != 0) {
                if (c == '\\' && quote != '`') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                } else if (c == '\n' && quote != '`') {
                    quote = 0; // an unterminated "…" or '…' ends at the line; the server reports it
                }
                continue;
            }
            switch (c) {
                case '"', '\'', '`' -> quote = c;
                case '/' -> {
                    if (next == '/') {
                        while (i < text.length() && text.charAt(i) != '\n') {
                            i++;
                        }
                    } else if (next == '*') {
                        blockComment++;
                        i++;
                    }
                }
                case '(', '[', '{' -> depth++;
                case ')', ']', '}' -> depth--;
                default -> { }
            }
        }
        return blockComment == 0 && quote != '`' && depth <= 0;
    }
}
